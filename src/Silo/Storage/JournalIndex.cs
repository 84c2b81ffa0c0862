namespace Platform.Silo.Storage;

/// <summary>One journal row of a grain: its place in the journal table and its first record's version.</summary>
/// <param name="Seq">The row's key in the append-only journal table.</param>
/// <param name="FirstVersion">The version of its first record.</param>
internal readonly record struct JournalRow(long Seq, long FirstVersion);

/// <summary>
/// Which rows of a relational store's journal table belong to which grain. The table is
/// append-only (keyed by a sequence), so a commit writes its rows at the end of the table and of
/// its key's index instead of into every grain's corner of a B-tree: with many streams that is a
/// few pages per commit rather than one per stream (SQLite), and no index descent by type, key and
/// version per row, which was most of PostgreSQL's work per commit. The index lives in memory,
/// built from the table at start and changed only by the writer's commits (through a
/// <see cref="Batch"/>, applied once the transaction has committed).
/// It also knows which grains have their row in the grains table, so that an append does not
/// have to make sure of it each time. Everything it knows of a grain is one entry, found once per
/// grain and commit: a commit touches hundreds of grains, and looking each up in several maps cost
/// as much as SQLite's inserts.
/// </summary>
/// <remarks>
/// Rows a snapshot or a deletion leaves behind are dead, and later commits delete them, oldest
/// first, in a few runs per commit. A grain's rows lie among every other grain's, so deleting them
/// with its snapshot rewrote a page of the table per row: with a thousand streams, a snapshot's
/// commit wrote megabytes, and XADD/s fell from 200k to about 3k once streams grew past their first
/// snapshot. Oldest first, the rows deleted together sit together. Dead rows are never read (a
/// grain's rows are those the index holds). Any left at a restart are found dead again as the
/// index is built: they come before the grain's snapshot, or before the start of its current life
/// (grains.journal_from) when the key was deleted and made again.
/// </remarks>
internal sealed class JournalIndex
{
    private readonly Lock _lock = new();

    // Grains with a row in the grains table or live journal rows. Readers look up under the lock;
    // only the writer changes it (under the lock), so the writer reads it without.
    private readonly Dictionary<GrainName, GrainEntry> _grains = [];

    // Dead rows yet to be deleted, oldest first; only the writer touches it.
    private readonly DeadRows _dead = new();
    private readonly Batch _batch;
    private long _lastSeq;

    public JournalIndex() => _batch = new Batch(this);

    /// <summary>Starts building the index from the tables, when the store opens.</summary>
    public Loader Load() => new(this);

    /// <summary>A grain's committed rows, in order.</summary>
    public JournalRow[] RowsOf(GrainName grain)
    {
        lock (_lock)
        {
            return _grains.TryGetValue(grain, out var entry) ? [.. entry.Rows] : [];
        }
    }

    /// <summary>Starts the changes of one commit (the store commits one batch at a time).</summary>
    public Batch Begin()
    {
        _batch.Start(_lastSeq);
        return _batch;
    }

    private GrainEntry Find(GrainName grain)
    {
        if (!_grains.TryGetValue(grain, out var entry))
        {
            entry = new GrainEntry();
            lock (_lock)
            {
                _grains.Add(grain, entry);
            }
        }

        return entry;
    }

    /// <summary>
    /// Builds the index from the tables: every row of the grains table first, then the journal's
    /// rows in sequence order. A row is live if its grain has a row, and it belongs to the grain's
    /// current life and comes after its snapshot; the others were left dead by a snapshot or a deletion.
    /// </summary>
    internal sealed class Loader(JournalIndex index)
    {
        private readonly Dictionary<GrainName, (long SnapshotVersion, long JournalFrom)> _lives = [];

        /// <summary>A row of the grains table.</summary>
        public void Grain(GrainName grain, long snapshotVersion, long journalFrom)
        {
            _lives.Add(grain, (snapshotVersion, journalFrom));
            index.Find(grain).HasRow = true;
        }

        /// <summary>A row of the journal table (in sequence order).</summary>
        public void Row(GrainName grain, long seq, long firstVersion)
        {
            if (_lives.TryGetValue(grain, out var life) && seq >= life.JournalFrom && firstVersion > life.SnapshotVersion)
            {
                index.Find(grain).Rows.Add(new JournalRow(seq, firstVersion));
            }
            else
            {
                index._dead.Add(seq);
            }

            index._lastSeq = Math.Max(index._lastSeq, seq);
        }
    }

    /// <summary>
    /// The index as one commit changes it; nothing is seen by readers until <see cref="Apply"/>.
    /// It copies nothing of the committed index (a stream's journal may hold thousands of rows):
    /// per grain it notes where the committed rows are cut, and it lists the rows it adds.
    /// </summary>
    internal sealed class Batch(JournalIndex index)
    {
        // Statements a commit may spend on dead rows.
        private const int MaxRuns = 8;

        private readonly List<(GrainName Name, GrainEntry Entry)> _touched = [];

        // Rows this commit adds, in order; a later snapshot or deletion in the commit may kill them.
        private readonly List<(GrainEntry Entry, JournalRow Row, bool Dead)> _added = [];

        // Dead rows this commit deletes (taken from the index: put back if it fails).
        private readonly List<long> _deleting = [];
        private long _lastSeq;
        private int _stamp;

        /// <summary>
        /// A new row at the end of the table for the grain's records from <paramref name="firstVersion"/> on.
        /// </summary>
        /// <param name="grain">The grain.</param>
        /// <param name="firstVersion">Its first record's version.</param>
        /// <param name="newGrain">Whether the grain has no row in the grains table yet (the row is to be made).</param>
        /// <returns>The row's sequence.</returns>
        /// <exception cref="JournalConflictException">The grain already has a row from this version
        /// on: the check the table's key made when it was (grain, first version), kept so that a
        /// journal written twice fails its commit instead of replaying records twice.</exception>
        public long Append(GrainName grain, long firstVersion, out bool newGrain)
        {
            var entry = Touch(grain);
            var last = entry.LastAdded ?? entry.LastCommitted();
            if (last is { } previous && previous.FirstVersion >= firstVersion)
            {
                throw new JournalConflictException($"The journal of {grain} already has a row from version {previous.FirstVersion}.");
            }

            newGrain = !(entry.RowAfter ?? entry.HasRow);
            entry.RowAfter = true;
            var row = new JournalRow(++_lastSeq, firstVersion);
            entry.LastAdded = row;
            _added.Add((entry, row, false));
            return row.Seq;
        }

        /// <summary>
        /// Notes a snapshot: the grain keeps its row, and its rows up to <paramref name="version"/> are dead.
        /// </summary>
        /// <returns>Where the grain's journal starts, should the snapshot make its row.</returns>
        public long Snapshot(GrainName grain, long version)
        {
            var entry = Touch(grain);
            entry.RowAfter = true;
            Cut(entry, version);
            return _lastSeq + 1;
        }

        /// <summary>Notes a deletion: the grain's row goes, and all its rows are dead.</summary>
        public void Delete(GrainName grain)
        {
            var entry = Touch(grain);
            entry.RowAfter = false;
            Cut(entry, long.MaxValue);
        }

        /// <summary>
        /// The oldest dead rows this commit deletes, as runs of consecutive sequences: at most
        /// <see cref="MaxRuns"/> runs, each deleted by one statement, so that dead rows scattered
        /// among live ones (a snapshot's, while other grains have yet to take theirs) cost a few
        /// pages per commit, and a stretch where every row is dead goes fast; and at most a few
        /// times as many rows as the commit appends, so that no commit takes long.
        /// </summary>
        public List<(long First, long Last)> TakeDeadRuns() => index._dead.TakeOldest(1024 + (8 * _added.Count), MaxRuns, _deleting);

        /// <summary>Puts back the dead rows this commit was to delete, when it failed.</summary>
        public void Abandon()
        {
            foreach (var seq in _deleting)
            {
                index._dead.Add(seq);
            }

            Forget();
        }

        /// <summary>Makes the changes visible, once the transaction has committed.</summary>
        public void Apply()
        {
            var killed = new List<long>();
            lock (index._lock)
            {
                foreach (var (_, entry) in _touched)
                {
                    entry.CutCommitted(killed);
                    entry.HasRow = entry.RowAfter ?? entry.HasRow;
                }

                foreach (var (entry, row, dead) in _added)
                {
                    if (dead)
                    {
                        killed.Add(row.Seq);
                    }
                    else
                    {
                        entry.Rows.Add(row);
                    }
                }

                index._lastSeq = _lastSeq;
            }

            foreach (var seq in killed)
            {
                index._dead.Add(seq);
            }

            Forget();
        }

        internal void Start(long lastSeq)
        {
            _lastSeq = lastSeq;
            _stamp++;
            _touched.Clear();
            _added.Clear();
            _deleting.Clear();
        }

        // The grain's entry, its notes of this commit reset on its first change in the commit.
        private GrainEntry Touch(GrainName grain)
        {
            var entry = index.Find(grain);
            if (entry.Stamp != _stamp)
            {
                entry.Begin(_stamp);
                _touched.Add((grain, entry));
            }

            return entry;
        }

        private void Cut(GrainEntry entry, long version)
        {
            entry.Cut = Math.Max(entry.Cut, version);
            if (entry.LastAdded is null)
            {
                return;
            }

            // Snapshots and deletions are rare beside appends: finding the rows this commit added
            // for the grain by going back through the commit's list costs less than a list per grain.
            entry.LastAdded = null;
            for (var i = _added.Count - 1; i >= 0; i--)
            {
                var (added, row, dead) = _added[i];
                if (added != entry || dead)
                {
                    continue;
                }

                if (row.FirstVersion <= version)
                {
                    _added[i] = (added, row, true);
                }
                else
                {
                    entry.LastAdded ??= row;
                }
            }
        }

        // Drops the entries of grains left with neither a row nor live journal rows (deleted, or
        // made by a commit that failed).
        private void Forget()
        {
            foreach (var (grain, entry) in _touched)
            {
                if (entry.IsEmpty)
                {
                    lock (index._lock)
                    {
                        index._grains.Remove(grain);
                    }
                }
            }
        }
    }

    // What the index knows of one grain, and what the commit under way changes of it.
    private sealed class GrainEntry
    {
        /// <summary>The committed rows, in version order.</summary>
        public List<JournalRow> Rows { get; } = [];

        /// <summary>Whether the grain has its row in the grains table.</summary>
        public bool HasRow { get; set; }

        public bool IsEmpty => Rows.Count == 0 && !HasRow;

        // The commit under way's notes, valid while Stamp is its stamp; only the writer touches them.
        public int Stamp { get; private set; }

        /// <summary>Committed rows up to this version go.</summary>
        public long Cut { get; set; }

        /// <summary>The last row the commit adds that no later cut killed.</summary>
        public JournalRow? LastAdded { get; set; }

        /// <summary>Whether the grain has its row after the commit, if the commit changes it.</summary>
        public bool? RowAfter { get; set; }

        public void Begin(int stamp)
        {
            Stamp = stamp;
            Cut = long.MinValue;
            LastAdded = null;
            RowAfter = null;
        }

        /// <summary>The last committed row, unless the commit cuts it.</summary>
        public JournalRow? LastCommitted() => Rows.Count > 0 && Rows[^1].FirstVersion > Cut ? Rows[^1] : null;

        /// <summary>Removes the committed rows the commit cuts, adding their sequences to <paramref name="killed"/>.</summary>
        public void CutCommitted(List<long> killed)
        {
            var count = 0;
            while (count < Rows.Count && Rows[count].FirstVersion <= Cut)
            {
                killed.Add(Rows[count++].Seq);
            }

            Rows.RemoveRange(0, count);
        }
    }
}
