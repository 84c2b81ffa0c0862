using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands;

/// <summary>
/// A command's implementation: reads <see cref="RespSession.Args"/> (already checked for
/// arity and authentication) and writes its reply to <see cref="RespSession.Reply"/>. Most
/// complete synchronously and return a completed ValueTask; those that call grains may not.
/// Instances are stateless singletons shared by all connections.
/// </summary>
internal abstract class RespCommand
{
    /// <summary>Runs the command for <paramref name="session"/>.</summary>
    public abstract ValueTask ExecuteAsync(RespSession session);

    /// <summary>
    /// Writes the reply of a grain call with <paramref name="write"/> (pass a static lambda): at
    /// once when the call completed synchronously, as it does on an idle grain, else once it has.
    /// </summary>
    protected static ValueTask Reply<T>(RespSession session, ValueTask<T> pending, Action<RespSession, T> write)
    {
        if (pending.IsCompletedSuccessfully)
        {
            write(session, pending.Result);
            return ValueTask.CompletedTask;
        }

        return Awaited(session, pending, write);

        static async ValueTask Awaited(RespSession session, ValueTask<T> pending, Action<RespSession, T> write) =>
            write(session, await pending.ConfigureAwait(false));
    }
}

/// <summary>A command that never waits: the common case, without the ValueTask ceremony.</summary>
internal abstract class SyncRespCommand : RespCommand
{
    /// <inheritdoc/>
    public sealed override ValueTask ExecuteAsync(RespSession session)
    {
        Execute(session);
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs the command for <paramref name="session"/>.</summary>
    protected abstract void Execute(RespSession session);
}
