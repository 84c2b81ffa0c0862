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
/// </summary>
internal sealed class JournalIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Type, string Key), List<JournalRow>> _rows = [];
    private long _lastSeq;

    /// <summary>Adds a row found in the table at start (in sequence order).</summary>
    public void Load(string grainType, string grainKey, JournalRow row)
    {
        lock (_lock)
        {
            Get(_rows, (grainType, grainKey)).Add(row);
            _lastSeq = Math.Max(_lastSeq, row.Seq);
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

    /// <summary>The index as one commit changes it; nothing is seen by readers until <see cref="Apply"/>.</summary>
    internal sealed class Batch(JournalIndex index, long lastSeq)
    {
        private const int ConstraintViolation = 19; // SQLITE_CONSTRAINT

        // Copies of the lists this commit changes.
        private readonly Dictionary<(string Type, string Key), List<JournalRow>> _changed = [];
        private long _lastSeq = lastSeq;

        /// <summary>A new row at the end of the table; returns its sequence.</summary>
        /// <exception cref="SqliteException">The grain already has a row from this version on: the
        /// check the table's key made when it was (grain, first version), kept so that a journal
        /// written twice fails its commit instead of replaying records twice.</exception>
        public long Append(string grainType, string grainKey, long firstVersion)
        {
            var rows = Rows((grainType, grainKey));
            if (rows.Count > 0 && rows[^1].FirstVersion >= firstVersion)
            {
                throw new SqliteException(
                    $"UNIQUE constraint failed: journal of {grainType}/{grainKey} already has version {rows[^1].FirstVersion}", ConstraintViolation);
            }

            var seq = ++_lastSeq;
            rows.Add(new JournalRow(seq, firstVersion));
            return seq;
        }

        /// <summary>Forgets the grain's rows whose first version is at most <paramref name="version"/>; returns them.</summary>
        public List<JournalRow> RemoveUpTo(string grainType, string grainKey, long version)
        {
            var rows = Rows((grainType, grainKey));
            var removed = rows.FindAll(r => r.FirstVersion <= version);
            rows.RemoveAll(r => r.FirstVersion <= version);
            return removed;
        }

        /// <summary>Forgets all of the grain's rows; returns them.</summary>
        public List<JournalRow> RemoveAll(string grainType, string grainKey) => RemoveUpTo(grainType, grainKey, long.MaxValue);

        /// <summary>Makes the changes visible, once the transaction has committed.</summary>
        public void Apply()
        {
            lock (index._lock)
            {
                foreach (var (grain, rows) in _changed)
                {
                    if (rows.Count == 0)
                    {
                        index._rows.Remove(grain);
                    }
                    else
                    {
                        index._rows[grain] = rows;
                    }
                }

                index._lastSeq = _lastSeq;
            }
        }

        private List<JournalRow> Rows((string, string) grain)
        {
            if (!_changed.TryGetValue(grain, out var rows))
            {
                lock (index._lock)
                {
                    rows = index._rows.TryGetValue(grain, out var committed) ? [.. committed] : [];
                }

                _changed.Add(grain, rows);
            }

            return rows;
        }
    }
}
