using Microsoft.Data.Sqlite;

namespace Platform.Silo.Storage.Sqlite;

/// <summary>One journal row of a grain: its place in the journal table and its first record's version.</summary>
/// <param name="Seq">The row's key in the append-only journal table.</param>
/// <param name="FirstVersion">The version of its first record.</param>
internal readonly record struct JournalRow(long Seq, long FirstVersion);

/// <summary>
/// Which rows of the journal table belong to which grain. The table is append-only (keyed by a
/// sequence), so a commit writes its rows to the end of the file instead of into every grain's
/// corner of a B-tree: with many streams that is a few pages per commit rather than one per
/// stream. The index lives in memory, built from the table at start and changed only by the
/// writer's commits (through a <see cref="Batch"/>, applied once the transaction has committed).
/// It also knows which grains have their row in the grains table, so that an append does not
/// have to make sure of it each time.
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
    private readonly Dictionary<(string Type, string Key), List<JournalRow>> _rows = [];

    // Grains with a row in the grains table; only the writer reads and changes it.
    private readonly HashSet<(string Type, string Key)> _grains = [];

    // Dead rows yet to be deleted, oldest first; only the writer touches it.
    private readonly PriorityQueue<long, long> _dead = new();
    private long _lastSeq;

    /// <summary>Notes a grain whose row was found in the grains table at start.</summary>
    public void LoadGrain(string grainType, string grainKey) => _grains.Add((grainType, grainKey));

    /// <summary>Adds a live row found in the table at start (in sequence order).</summary>
    public void Load(string grainType, string grainKey, JournalRow row)
    {
        lock (_lock)
        {
            Get(_rows, (grainType, grainKey)).Add(row);
            _lastSeq = Math.Max(_lastSeq, row.Seq);
        }
    }

    /// <summary>Adds a row found in the table at start that a snapshot or a deletion had left behind.</summary>
    public void LoadDead(long seq)
    {
        lock (_lock)
        {
            _dead.Enqueue(seq, seq);
            _lastSeq = Math.Max(_lastSeq, seq);
        }
    }

    /// <summary>A grain's committed rows, in order.</summary>
    public JournalRow[] RowsOf(string grainType, string grainKey)
    {
        lock (_lock)
        {
            return _rows.TryGetValue((grainType, grainKey), out var rows) ? [.. rows] : [];
        }
    }

    /// <summary>Starts the changes of one commit.</summary>
    public Batch Begin()
    {
        lock (_lock)
        {
            return new Batch(this, _lastSeq);
        }
    }

    private static List<JournalRow> Get(Dictionary<(string, string), List<JournalRow>> rows, (string, string) grain)
    {
        if (!rows.TryGetValue(grain, out var list))
        {
            list = [];
            rows.Add(grain, list);
        }

        return list;
    }

    /// <summary>
    /// The index as one commit changes it; nothing is seen by readers until <see cref="Apply"/>.
    /// It copies nothing of the committed index (a stream's journal may hold thousands of rows):
    /// per grain it keeps what is cut from the committed rows and the rows it adds.
    /// </summary>
    internal sealed class Batch(JournalIndex index, long lastSeq)
    {
        private const int ConstraintViolation = 19; // SQLITE_CONSTRAINT

        // Statements a commit may spend on dead rows.
        private const int MaxRuns = 8;

        private readonly Dictionary<(string Type, string Key), GrainChange> _changes = [];

        // Grains whose row this commit creates (true) or deletes (false).
        private readonly Dictionary<(string Type, string Key), bool> _grainRows = [];

        // Rows this commit leaves dead, and dead rows it deletes (taken from the index: put back if it fails).
        private readonly List<long> _killed = [];
        private readonly List<long> _deleting = [];
        private long _lastSeq = lastSeq;
        private int _appended;

        /// <summary>The sequence the next new row gets: where a grain made now starts its journal.</summary>
        public long NextSeq => _lastSeq + 1;

        /// <summary>A new row at the end of the table; returns its sequence.</summary>
        /// <exception cref="SqliteException">The grain already has a row from this version on: the
        /// check the table's key made when it was (grain, first version), kept so that a journal
        /// written twice fails its commit instead of replaying records twice.</exception>
        public long Append(string grainType, string grainKey, long firstVersion)
        {
            var grain = (grainType, grainKey);
            var change = Change(grain);
            var last = change.Added.Count > 0 ? change.Added[^1] : LastCommitted(grain, change.CommittedCut);
            if (last is { } previous && previous.FirstVersion >= firstVersion)
            {
                throw new SqliteException(
                    $"UNIQUE constraint failed: journal of {grainType}/{grainKey} already has version {previous.FirstVersion}", ConstraintViolation);
            }

            var seq = ++_lastSeq;
            change.Added.Add(new JournalRow(seq, firstVersion));
            _appended++;
            return seq;
        }

        /// <summary>Notes that the grain has its row after this commit; true if it had none before (the row is to be made).</summary>
        public bool KeepGrainRow(string grainType, string grainKey)
        {
            // Only a change is noted: most appends are to grains whose row is there already.
            var grain = (grainType, grainKey);
            var exists = _grainRows.TryGetValue(grain, out var changed) ? changed : index._grains.Contains(grain);
            if (!exists)
            {
                _grainRows[grain] = true;
            }

            return !exists;
        }

        /// <summary>Notes that the grain's row is deleted by this commit.</summary>
        public void DropGrainRow(string grainType, string grainKey) => _grainRows[(grainType, grainKey)] = false;

        /// <summary>Forgets the grain's rows whose first version is at most <paramref name="version"/>: they are dead.</summary>
        public void RemoveUpTo(string grainType, string grainKey, long version)
        {
            var change = Change((grainType, grainKey));
            if (index._rows.TryGetValue((grainType, grainKey), out var committed))
            {
                // Committed rows are in version order: what goes is a run at the front.
                foreach (var row in committed)
                {
                    if (row.FirstVersion > version)
                    {
                        break;
                    }

                    if (row.FirstVersion > change.CommittedCut)
                    {
                        _killed.Add(row.Seq);
                    }
                }
            }

            change.CommittedCut = Math.Max(change.CommittedCut, version);
            foreach (var row in change.Added)
            {
                if (row.FirstVersion <= version)
                {
                    _killed.Add(row.Seq);
                }
            }

            change.Added.RemoveAll(r => r.FirstVersion <= version);
        }

        /// <summary>Forgets all of the grain's rows: they are dead.</summary>
        public void RemoveAll(string grainType, string grainKey) => RemoveUpTo(grainType, grainKey, long.MaxValue);

        /// <summary>
        /// The oldest dead rows this commit deletes, as runs of consecutive sequences: at most
        /// <see cref="MaxRuns"/> runs, each deleted by one statement, so that dead rows scattered
        /// among live ones (a snapshot's, while other grains have yet to take theirs) cost a few
        /// pages per commit, and a stretch where every row is dead goes fast; and at most a few
        /// times as many rows as the commit appends, so that no commit takes long.
        /// </summary>
        public List<(long First, long Last)> TakeDeadRuns()
        {
            var rows = 1024 + (8 * _appended);
            var runs = new List<(long First, long Last)>();
            while (rows-- > 0 && index._dead.TryPeek(out var seq, out _))
            {
                var extends = runs.Count > 0 && runs[^1].Last == seq - 1;
                if (!extends && runs.Count == MaxRuns)
                {
                    break;
                }

                index._dead.Dequeue();
                _deleting.Add(seq);
                if (extends)
                {
                    runs[^1] = (runs[^1].First, seq);
                }
                else
                {
                    runs.Add((seq, seq));
                }
            }

            return runs;
        }

        /// <summary>Puts back the dead rows this commit was to delete, when it failed.</summary>
        public void Abandon()
        {
            foreach (var seq in _deleting)
            {
                index._dead.Enqueue(seq, seq);
            }

            _deleting.Clear();
        }

        /// <summary>Makes the changes visible, once the transaction has committed.</summary>
        public void Apply()
        {
            lock (index._lock)
            {
                foreach (var (grain, change) in _changes)
                {
                    var rows = Get(index._rows, grain);
                    if (change.CommittedCut > long.MinValue)
                    {
                        rows.RemoveAll(r => r.FirstVersion <= change.CommittedCut);
                    }

                    rows.AddRange(change.Added);
                    if (rows.Count == 0)
                    {
                        index._rows.Remove(grain);
                    }
                }

                index._lastSeq = _lastSeq;
                foreach (var (grain, exists) in _grainRows)
                {
                    if (exists)
                    {
                        index._grains.Add(grain);
                    }
                    else
                    {
                        index._grains.Remove(grain);
                    }
                }

                foreach (var seq in _killed)
                {
                    index._dead.Enqueue(seq, seq);
                }
            }
        }

        // The grain's last committed row, unless this commit cuts it. Only the writer changes the
        // committed index, and only in Apply: the writer reads it without the lock.
        private JournalRow? LastCommitted((string, string) grain, long cut) =>
            index._rows.TryGetValue(grain, out var rows) && rows.Count > 0 && rows[^1].FirstVersion > cut ? rows[^1] : null;

        private GrainChange Change((string, string) grain)
        {
            if (!_changes.TryGetValue(grain, out var change))
            {
                change = new GrainChange();
                _changes.Add(grain, change);
            }

            return change;
        }

        // One grain's part of the commit: its committed rows up to CommittedCut go, Added come after.
        private sealed class GrainChange
        {
            public long CommittedCut { get; set; } = long.MinValue;

            public List<JournalRow> Added { get; } = [];
        }
    }
}
