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
    // The journals this thread handed changes to since its last commit; null on threads that are not event loops.
    [ThreadStatic]
    private static List<GrainJournal>? _deferred;

    [ThreadStatic]
    private static List<GrainJournal>? _committing;

    /// <summary>Makes the calling thread an event loop that calls <see cref="CommitDeferred"/> before each wait.</summary>
    public static void Join()
    {
        _deferred = [];
        _committing = [];
    }

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

        if (!deferred.Contains(journal))
        {
            deferred.Add(journal);
        }

        return true;
    }
}
