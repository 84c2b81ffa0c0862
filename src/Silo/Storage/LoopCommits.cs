namespace Platform.Silo.Storage;

/// <summary>
/// Lets an event loop's thread commit what its own turns hand over under <see cref="Durability.Always"/>,
/// once per pass, before it waits for more work, as Redis fsyncs in its event loop's beforeSleep.
/// Waking the journal's writer for each change, and having it release the replies, cost two
/// thread hand-overs per pass; the loop had the next requests to read meanwhile, so the commits
/// were split. Changes handed over by other threads still wake the writer.
/// </summary>
public static class LoopCommits
{
    /// <summary>
    /// How long changes may wait for their commit while the loop serves sockets that are ready
    /// (<see cref="MayGather"/>): less than one of Redis's event-loop passes under a load of
    /// pipelined writes (about 3 ms for XADD -P 16 from 50 connections with appendfsync always).
    /// </summary>
    public static readonly TimeSpan GatherLimit = TimeSpan.FromMilliseconds(2);

    // The journals this thread handed changes to since its last commit; null on threads that are not event loops.
    [ThreadStatic]
    private static List<GrainJournal>? _deferred;

    [ThreadStatic]
    private static List<GrainJournal>? _committing;

    [ThreadStatic]
    private static TimeProvider? _clock;

    // When the first of the changes waiting for this thread's next commit was handed over.
    [ThreadStatic]
    private static long _deferredSince;

    /// <summary>Makes the calling thread an event loop that calls <see cref="CommitDeferred"/> before each wait.</summary>
    /// <param name="clock">What <see cref="GatherLimit"/> is measured with; the system's unless told.</param>
    public static void Join(TimeProvider? clock = null)
    {
        _deferred = [];
        _committing = [];
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>
    /// Whether the changes this thread's turns handed over may wait while the loop serves the
    /// sockets that are ready by now: they have, and for less than <see cref="GatherLimit"/>. A
    /// pass of the loop is short, and committing after each split the connections into groups
    /// that took turns, each with a commit and an fsync of its own: XADD -P 16 from 50
    /// connections committed about 310 changes at a time, where Redis's passes took about 760.
    /// </summary>
    public static bool MayGather =>
        _deferred is { Count: > 0 } && _clock!.GetElapsedTime(_deferredSince) < GatherLimit;

    /// <summary>
    /// Commits what this thread's turns handed over since its last call; returns whether their
    /// replies, sent meanwhile, handed over more (the loop should then look for work without
    /// waiting, and call again).
    /// </summary>
    public static bool CommitDeferred()
    {
        var deferred = _deferred;
        if (deferred is null || deferred.Count == 0)
        {
            return false;
        }

        // What the commits' waiters hand over goes to the other list, for the next call.
        var committing = _committing!;
        _deferred = committing;
        _committing = deferred;
        foreach (var journal in deferred)
        {
            journal.CommitOnLoop();
        }

        deferred.Clear();
        return committing.Count > 0;
    }

    // Whether the calling thread will commit the journal's changes itself.
    internal static bool Defer(GrainJournal journal)
    {
        var deferred = _deferred;
        if (deferred is null)
        {
            return false;
        }

        if (deferred.Count == 0)
        {
            _deferredSince = _clock!.GetTimestamp();
        }

        if (!deferred.Contains(journal))
        {
            deferred.Add(journal);
        }

        return true;
    }
}
