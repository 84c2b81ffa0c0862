namespace Platform.Grains.Streams;

/// <summary>
/// A client blocked in XREAD or XREADGROUP: registered with the grain of every stream it waits
/// on, it holds no grain's turn. The first stream with something for it claims it and completes
/// it; a timeout or the client leaving claims it too, so exactly one of them answers.
/// </summary>
public sealed class StreamWaiter
{
    private readonly TaskCompletionSource<WaitOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _claimed;

    /// <summary>Completes with what ended the wait.</summary>
    public Task<WaitOutcome> Outcome => _outcome.Task;

    /// <summary>Still waiting (not yet claimed).</summary>
    public bool IsWaiting => Volatile.Read(ref _claimed) == 0;

    /// <summary>Takes the right to complete this wait; true for exactly one caller.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

    /// <summary>Completes the wait; only the claimant calls it.</summary>
    public void Complete(WaitOutcome outcome) => _outcome.TrySetResult(outcome);
}

/// <summary>How a wait ended: entries from one stream, an error, or (no stream) the timeout.</summary>
/// <param name="Stream">The stream's name (grain key without the database); null on timeout.</param>
/// <param name="Entries">What was read.</param>
/// <param name="Error">KeyDeletedWhileBlocked or GroupDestroyedWhileBlocked, else none.</param>
public readonly record struct WaitOutcome(string? Stream, StreamEntries? Entries, StreamError Error);

/// <summary>What a waiter waits for on one stream.</summary>
/// <param name="Stream">The stream's name, as the reply will carry it.</param>
/// <param name="After">XREAD: entries after this ID.</param>
/// <param name="Count">At most this many entries (0: no limit).</param>
/// <param name="Group">XREADGROUP: the group (null for XREAD).</param>
/// <param name="Consumer">XREADGROUP: the consumer.</param>
/// <param name="NoAck">XREADGROUP: NOACK.</param>
public readonly record struct WaitRequest(string Stream, StreamId After, long Count, string? Group, string? Consumer, bool NoAck);
