using System.Threading.Tasks.Sources;
using Platform.Client.Protocol;

namespace Platform.Client.Connections;

/// <summary>Turns one reply frame into a command's typed result.</summary>
internal delegate T ReplyParser<T>(ref RespReader reader);

/// <summary>
/// A command awaiting its reply. Operations wait in their connection's queue in the order their
/// commands were written; each reply completes the one at the head. A cancelled or timed-out
/// operation stays in the queue (its reply still comes) and is simply not completed twice.
/// </summary>
internal abstract class Operation
{
    protected Operation(string command, long deadline)
    {
        Command = command;
        Deadline = deadline;
    }

    /// <summary>The command's name, for messages.</summary>
    public string Command { get; }

    /// <summary>Environment.TickCount64 after which the caller stops waiting; 0 for never.</summary>
    public long Deadline { get; }

    /// <summary>How many bytes the connection had been given when this command's last byte was written.</summary>
    public long EndOffset { get; set; }

    /// <summary>Whether the caller has its result (or error) already.</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Completes the operation from its reply (or the reply's error).</summary>
    public abstract void Complete(ref RespReader reader);

    /// <summary>Fails the operation unless it has completed already.</summary>
    public abstract bool TryFail(Exception exception);
}

/// <summary>An operation with a typed result, awaited as a <see cref="ValueTask{T}"/> without a Task allocation.</summary>
internal sealed class Operation<T> : Operation, IValueTaskSource<T>
{
    private readonly ReplyParser<T> _parser;
    private ManualResetValueTaskSourceCore<T> _core;
    private CancellationTokenRegistration _registration;
    private int _completed;

    public Operation(string command, ReplyParser<T> parser, long deadline)
        : base(command, deadline)
    {
        _parser = parser;
        // The reader loop must not run callers' continuations: it would stall every other reply.
        _core.RunContinuationsAsynchronously = true;
    }

    public override bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>The caller's view of the result.</summary>
    public ValueTask<T> Task => new(this, _core.Version);

    /// <summary>Fails the operation when <paramref name="token"/> is cancelled first.</summary>
    public void Register(CancellationToken token)
    {
        if (token.CanBeCanceled)
        {
            _registration = token.UnsafeRegister(
                static (state, token) => ((Operation<T>)state!).TryFail(new OperationCanceledException(token)),
                this);
            if (IsCompleted)
            {
                // The reply won the race: do not leave a registration on a long-lived token.
                _registration.Unregister();
            }
        }
    }

    public override void Complete(ref RespReader reader)
    {
        if (IsCompleted)
        {
            return;
        }

        if (reader.IsError)
        {
            TryFail(new PlatformServerException(Command, reader.ReadErrorMessage()));
            return;
        }

        T value;
        try
        {
            value = _parser(ref reader);
        }
        catch (PlatformClientException e)
        {
            TryFail(e);
            return;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
        {
            TryFail(new PlatformProtocolException($"{Command}: the reply could not be read: {e.Message}", e));
            return;
        }

        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _registration.Unregister();
            _core.SetResult(value);
        }
    }

    public override bool TryFail(Exception exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _registration.Unregister();
        _core.SetException(exception);
        return true;
    }

    T IValueTaskSource<T>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<T>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<T>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
