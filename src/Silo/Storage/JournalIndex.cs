using System.Data.Common;
using System.Text;

namespace Platform.Silo.Storage;

/// <summary>
/// One run of a grain's records in the journal table: a part of a page, the row that holds a
/// commit's runs for all its grains (<see cref="JournalPage"/>).
/// </summary>
/// <param name="Seq">The page's key in the append-only journal table.</param>
/// <param name="FirstVersion">The version of the run's first record.</param>
/// <param name="Offset">Where the run's records start in the page.</param>
/// <param name="Length">The records' length.</param>
internal readonly record struct JournalRow(long Seq, long FirstVersion, int Offset, int Length);

/// <summary>A live run that a commit copies from an old page into its own, so that the old page can go.</summary>
/// <param name="Start">Where the run's header starts in the old page.</param>
/// <param name="Length">The header's and the records' length.</param>
/// <param name="From">The run where it was.</param>
/// <param name="To">The run in the commit's page.</param>
internal readonly record struct JournalMove(int Start, int Length, JournalRow From, JournalRow To);

/// <summary>
/// Which runs of a relational store's journal table belong to which grain, and where they are. The
/// table is append-only (keyed by a sequence), and a commit writes one row, a page of its runs for
/// all its grains, at the end of the table and of its key's index: a row per grain in the table's
/// key order cost a B-tree page per stream (SQLite) or an index descent by type, key and version
/// (PostgreSQL), and a row per grain at the end still a tuple and an index entry each, to insert
/// and again to delete. The index lives in memory, built from the table at start and changed only
/// by the writer's commits (through a <see cref="Batch"/>, applied once the transaction has
/// committed). It also knows which grains have their row in the grains table, so that an append
/// does not have to make sure of it each time. Everything it knows of a grain is one entry, found
/// once per grain and commit: a commit touches hundreds of grains, and looking each up in several
/// maps cost as much as SQLite's inserts.
/// </summary>
/// <remarks>
/// Runs a snapshot or a deletion leaves behind are dead. A page lives while any run in it does;
/// a dead page is deleted by later commits, oldest first, a few per commit, so that a wave of them
/// (streams taking their snapshots together) stalls no commit. Dead runs are never read (a grain's
/// runs are those the index holds). Any left at a restart are found dead again as the index is
/// built: they come before the grain's snapshot, or before the start of its current life
/// (grains.journal_from) when the key was deleted and made again. A run that never ends (a key
/// written once and not since) would keep its page, and every dead run in it, for ever: so once
/// the dead bytes in live pages outweigh the live ones by more than the compaction slack, commits
/// copy the live runs of the oldest pages into their own pages (<see cref="Batch.Compact"/>), and
/// the old pages die.
/// </remarks>
/// <param name="compactionSlack">How many more dead bytes than live ones live pages may hold.</param>
internal sealed class JournalIndex(long compactionSlack = JournalIndex.DefaultCompactionSlack)
{
    /// <summary>The compaction slack, unless told otherwise.</summary>
    public const long DefaultCompactionSlack = 8 << 20;

    private readonly long _compactionSlack = compactionSlack;
    private readonly Lock _lock = new();

    // Grains with a row in the grains table or live runs. Readers look up under the lock;
    // only the writer changes it (under the lock), so the writer reads it without.
    private readonly Dictionary<GrainName, GrainEntry> _grains = [];

    // Dead pages yet to be deleted, oldest first; only the writer touches it.
    private readonly DeadRows _dead = new();

    // Live pages by sequence, and in order, oldest first (a page leaves the queue once it is dead
    // and at the front); only the writer touches them.
    private readonly Dictionary<long, Page> _pages = [];
    private readonly Queue<Page> _pageOrder = new();
    private long _pageBytes;
    private long _livePageBytes;

    private Batch? _batch;
    private long _lastSeq;

    /// <summary>Starts building the index from the tables, when the store opens.</summary>
    public Loader Load() => new(this);

    /// <summary>A grain's committed runs, in version order.</summary>
    public JournalRow[] RowsOf(GrainName grain)
    {
        lock (_lock)
        {
            return _grains.TryGetValue(grain, out var entry) ? [.. entry.Rows] : [];
        }
    }

    /// <summary>
    /// Reads a grain's runs after <paramref name="version"/> with <paramref name="read"/>, which
    /// answers null when a run is not where it was said to be. The grain has no change on its way
    /// (the journal waits for those), but other grains' commits may copy its runs out of an old page
    /// and, a commit later, delete the page: a run missing where the index said it was is looked
    /// for where the index says it is now.
    /// </summary>
    /// <param name="grain">The grain.</param>
    /// <param name="version">Its snapshot's version: runs from after it are read.</param>
    /// <param name="read">Reads the given runs' records from the store.</param>
    /// <param name="table">The journal table, for the error.</param>
    /// <exception cref="InvalidOperationException">A run is missing, and the index has not moved it.</exception>
    public async Task<List<(long FirstVersion, byte[] Records)>> ReadRunsAsync(
        GrainName grain, long version, Func<JournalRow[], Task<List<(long FirstVersion, byte[] Records)>?>> read, string table)
    {
        JournalRow[]? looked = null;
        while (true)
        {
            var rows = RowsOf(grain).Where(r => r.FirstVersion > version).ToArray();
            if (looked is not null && rows.SequenceEqual(looked))
            {
                throw new InvalidOperationException($"Runs of {grain} are missing from {table}, or shorter than the index says.");
            }

            if (await read(rows).ConfigureAwait(false) is { } runs)
            {
                return runs;
            }

            looked = rows;
        }
    }

    /// <summary>Starts the changes of one commit (the store commits one batch at a time).</summary>
    public Batch Begin()
    {
        _batch ??= new Batch(this);
        _batch.Start(_lastSeq);
        return _batch;
    }

    private GrainEntry Find(GrainName grain)
    {
        if (!_grains.TryGetValue(grain, out var entry))
        {
            entry = new GrainEntry(grain);
            lock (_lock)
            {
                _grains.Add(grain, entry);
            }
        }

        return entry;
    }

    private void AddPage(Page page)
    {
        _pages.Add(page.Seq, page);
        _pageOrder.Enqueue(page);
        _pageBytes += page.Bytes;
    }

    private void RunStarted(Page page, GrainEntry entry, JournalRow run)
    {
        page.Runs.Add((entry, run));
        page.Live++;
        var bytes = JournalPage.HeaderLength(entry.Name) + run.Length;
        page.LiveBytes += bytes;
        _livePageBytes += bytes;
    }

    // A run is dead, and its page once no run in it lives.
    private void RunEnded(JournalRow run, GrainName grain)
    {
        var page = _pages[run.Seq];
        var bytes = JournalPage.HeaderLength(grain) + run.Length;
        page.LiveBytes -= bytes;
        _livePageBytes -= bytes;
        if (--page.Live == 0)
        {
            PageEnded(page);
        }
    }

    private void PageEnded(Page page)
    {
        _pages.Remove(page.Seq);
        _pageBytes -= page.Bytes;
        _dead.Add(page.Seq);
        while (_pageOrder.TryPeek(out var oldest) && !_pages.ContainsKey(oldest.Seq))
        {
            _pageOrder.Dequeue();
        }
    }

    /// <summary>
    /// Builds the index from the tables: every row of the grains table first, then the journal's
    /// pages in sequence order, then <see cref="Complete"/>. A run is live if its grain has a row,
    /// and it belongs to the grain's current life and comes after its snapshot; the others were
    /// left dead by a snapshot or a deletion. A run found twice (copied out of an old page that was
    /// not yet deleted) is taken from the later page.
    /// </summary>
    internal sealed class Loader
    {
        private readonly JournalIndex _index;

        // The grains table's rows, by type and then key, each with its grain's entry. Runs find
        // theirs by the bytes of their type and key, looked up as characters, where a grain name
        // (two strings) was made of each and looked up twice. With the sort left out below, a
        // restart after a million XADDs to a thousand streams loads its index in 740 ms, not 950.
        private readonly Dictionary<string, Dictionary<string, Life>> _lives = new(StringComparer.Ordinal);
        private readonly List<Page> _pages = [];
        private readonly RunReader _take;
        private char[] _chars = new char[256];
        private byte[] _page = [];

        // The page being read, and how many of its runs were taken.
        private long _seq;
        private int _taken;

        public Loader(JournalIndex index)
        {
            _index = index;
            _take = Take;
        }

        /// <summary>A row of the grains table.</summary>
        public void Grain(GrainName grain, long snapshotVersion, long journalFrom)
        {
            var entry = _index.Find(grain);
            entry.HasRow = true;
            if (!_lives.TryGetValue(grain.Type, out var keys))
            {
                keys = new Dictionary<string, Life>(StringComparer.Ordinal);
                _lives.Add(grain.Type, keys);
            }

            keys.Add(grain.Key, new Life(entry, snapshotVersion, journalFrom));
        }

        /// <summary>
        /// The journal table's row at <paramref name="reader"/>, its sequence and page in the given
        /// columns (rows in sequence order). Every page is read into one buffer: an array each was
        /// tens of megabytes at a restart.
        /// </summary>
        public void Page(DbDataReader reader, int seqColumn, int pageColumn)
        {
            var length = (int)reader.GetBytes(pageColumn, 0, null, 0, 0);
            if (_page.Length < length)
            {
                _page = new byte[Math.Max(length, 2 * _page.Length)];
            }

            reader.GetBytes(pageColumn, 0, _page, 0, length);
            Page(reader.GetInt64(seqColumn), _page.AsSpan(0, length));
        }

        private void Page(long seq, ReadOnlySpan<byte> page)
        {
            _seq = seq;
            _taken = 0;
            JournalPage.Read(seq, page, _take);
            var read = new Page(seq, page.Length);
            read.Runs.Capacity = _taken;
            _pages.Add(read);
            _index._lastSeq = Math.Max(_index._lastSeq, seq);
        }

        /// <summary>Orders each grain's runs by version and settles which pages live.</summary>
        public void Complete()
        {
            foreach (var page in _pages)
            {
                _index.AddPage(page);
            }

            foreach (var entry in _index._grains.Values)
            {
                // Pages come in sequence order, so a grain's runs are in version order already
                // unless compaction copied some forward.
                var rows = entry.Rows;
                if (!InOrder(rows))
                {
                    rows.Sort((a, b) => a.FirstVersion != b.FirstVersion ? a.FirstVersion.CompareTo(b.FirstVersion) : a.Seq.CompareTo(b.Seq));
                }

                for (var i = rows.Count - 1; i > 0; i--)
                {
                    if (rows[i - 1].FirstVersion == rows[i].FirstVersion)
                    {
                        rows.RemoveAt(i - 1);
                    }
                }

                foreach (var row in rows)
                {
                    _index.RunStarted(_index._pages[row.Seq], entry, row);
                }
            }

            foreach (var page in _pages)
            {
                if (page.Live == 0)
                {
                    _index.PageEnded(page);
                }
            }
        }

        private static bool InOrder(List<JournalRow> rows)
        {
            for (var i = 1; i < rows.Count; i++)
            {
                if (rows[i - 1].FirstVersion > rows[i].FirstVersion)
                {
                    return false;
                }
            }

            return true;
        }

        // A run is live if its grain has a row, and it belongs to the grain's current life and
        // comes after its snapshot.
        private void Take(ReadOnlySpan<byte> type, ReadOnlySpan<byte> key, long firstVersion, int offset, int length)
        {
            if (Find(type, key) is { } life && _seq >= life.JournalFrom && firstVersion > life.SnapshotVersion)
            {
                life.Entry.Rows.Add(new JournalRow(_seq, firstVersion, offset, length));
                _taken++;
            }
        }

        private Life? Find(ReadOnlySpan<byte> type, ReadOnlySpan<byte> key)
        {
            if (_chars.Length < type.Length + key.Length)
            {
                _chars = new char[Math.Max(type.Length + key.Length, 2 * _chars.Length)];
            }

            var typeChars = _chars.AsSpan(0, Encoding.Latin1.GetChars(type, _chars));
            var keyChars = _chars.AsSpan(type.Length, Encoding.Latin1.GetChars(key, _chars.AsSpan(type.Length)));
            return _lives.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(typeChars, out var keys)
                && keys.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(keyChars, out var life)
                ? life
                : null;
        }

        private sealed record Life(GrainEntry Entry, long SnapshotVersion, long JournalFrom);
    }

    /// <summary>
    /// The index as one commit changes it; nothing is seen by readers until <see cref="Apply"/>.
    /// It copies nothing of the committed index (a stream's journal may hold thousands of runs):
    /// per grain it notes where the committed runs are cut, and it lists the runs it adds.
    /// </summary>
    internal sealed class Batch(JournalIndex index)
    {
        // Dead pages a commit deletes at most. A page costs about as much to delete as to write,
        // and a commit writes one: a few keep ahead of the pages that die (about one per commit
        // under a steady load), and a wave of them (hundreds, as streams take their snapshots
        // together) is spread over many commits instead of stalling one. The budget of a row per
        // run, when rows were a grain's each, let a commit delete a thousand pages: the slowest
        // second over twelve million XADDs fell to 3k on PostgreSQL and 21k on SQLite.
        private const int MaxDeadPages = 4;

        // What a commit copies out of old pages, when it copies: about its own page's bytes (at
        // least MinCompaction), from at most MaxCompactedPages pages, looking at no more than
        // MaxPagesLookedAt (dead ones wait in the queue until they reach its front). Copying only
        // starts while dead bytes outweigh live ones, so the oldest pages are mostly dead, and
        // each commit frees more than it writes. A quarter of a megabyte a commit was too much:
        // over twelve million XADDs, PostgreSQL's slowest second fell to 2k XADDs (29k with no
        // compaction at all, 28k now).
        private const int MinCompaction = 4 << 10;
        private const int MaxCompactedPages = 8;
        private const int MaxPagesLookedAt = 64;

        private readonly List<GrainEntry> _touched = [];

        // Runs this commit adds, in order; a later snapshot or deletion in the commit may kill them.
        private readonly List<(GrainEntry Entry, JournalRow Row, bool Dead)> _added = [];

        // The records of each run in _added, until the commit is applied or abandoned.
        private readonly List<byte[]> _addedRecords = [];

        private readonly List<(GrainEntry Entry, JournalMove Move)> _moves = [];

        // Runs the commit ends, gathered as it is applied.
        private readonly List<(JournalRow Run, GrainName Grain)> _ended = [];

        // Dead pages this commit deletes (taken from the index: put back if it fails).
        private readonly List<long> _deleting = [];
        private long _lastSeq;
        private int _stamp;
        private Page? _page;

        /// <summary>
        /// The sequence of this commit's page, should it write one: each run appended to the page,
        /// and a grain's life that starts in this commit, start there.
        /// </summary>
        public long PageSeq { get; private set; }

        /// <summary>
        /// A run of the append's records in this commit's page, laid out by <see cref="WriteAppends"/>
        /// once the commit's operations are all noted.
        /// </summary>
        /// <param name="append">The grain's records and the version of the first.</param>
        /// <param name="newGrain">Whether the grain has no row in the grains table yet (the row is to be made).</param>
        /// <exception cref="JournalConflictException">The grain already has a run from this version
        /// on: the check the table's key made when it was (grain, first version), kept so that a
        /// journal written twice fails its commit instead of replaying records twice.</exception>
        public void AppendToPage(AppendRecords append, out bool newGrain)
        {
            Add(append.Grain, new JournalRow(PageSeq, append.FirstVersion, 0, append.Records.Length), out newGrain);
            _addedRecords.Add(append.Records);
        }

        /// <summary>
        /// Lays out the commit's page from its start with the runs appended, in order, each where
        /// its records land, but for those a later snapshot or deletion in the commit killed.
        /// </summary>
        public void WriteAppends(JournalPage page)
        {
            page.Clear();
            for (var i = 0; i < _added.Count; i++)
            {
                var (entry, row, dead) = _added[i];
                if (!dead)
                {
                    _page ??= new Page(PageSeq, 0);
                    _added[i] = (entry, row with { Offset = page.Add(entry.Name, row.FirstVersion, _addedRecords[i]) }, false);
                }
            }
        }

        /// <summary>
        /// When the dead bytes in live pages outweigh the live ones by more than the slack, picks the
        /// live runs of the oldest pages to copy into this commit's page after its own
        /// <paramref name="pageLength"/> bytes, whole pages at a time.
        /// </summary>
        public IReadOnlyList<(GrainEntry Entry, JournalMove Move)> Compact(int pageLength)
        {
            if (index._pageBytes - index._livePageBytes <= index._livePageBytes + index._compactionSlack)
            {
                return _moves;
            }

            var budget = Math.Max(MinCompaction, pageLength);
            var at = pageLength;
            int lookedAt = 0, compacted = 0;
            foreach (var page in index._pageOrder)
            {
                if (at - pageLength >= budget || compacted == MaxCompactedPages || lookedAt++ == MaxPagesLookedAt)
                {
                    break;
                }

                if (!index._pages.ContainsKey(page.Seq))
                {
                    continue;
                }

                compacted++;
                foreach (var (entry, run) in page.Runs)
                {
                    if (IsLive(entry, run))
                    {
                        var header = JournalPage.HeaderLength(entry.Name);
                        var to = new JournalRow(PageSeq, run.FirstVersion, at + header, run.Length);
                        _moves.Add((entry, new JournalMove(run.Offset - header, header + run.Length, run, to)));
                        at += header + run.Length;
                    }
                }
            }

            if (_moves.Count > 0)
            {
                _page ??= new Page(PageSeq, 0);
            }

            return _moves;
        }

        /// <summary>Notes the length of the page the commit writes, its runs placed and moved.</summary>
        public void PageWritten(int length)
        {
            if (_page is not null)
            {
                _page.Bytes = length;
                _lastSeq = PageSeq;
            }
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
            return PageSeq;
        }

        /// <summary>Notes a deletion: the grain's row goes, and all its rows are dead.</summary>
        public void Delete(GrainName grain)
        {
            var entry = Touch(grain);
            entry.RowAfter = false;
            Cut(entry, long.MaxValue);
        }

        /// <summary>
        /// The oldest dead pages this commit deletes, at most <see cref="MaxDeadPages"/>, as ranges
        /// of consecutive sequences, each deleted by one statement.
        /// </summary>
        public List<(long First, long Last)> TakeDeadRuns() => index._dead.TakeOldest(MaxDeadPages, MaxDeadPages, _deleting);

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
            var ended = _ended;
            lock (index._lock)
            {
                foreach (var entry in _touched)
                {
                    entry.CutCommitted(ended);
                    entry.HasRow = entry.RowAfter ?? entry.HasRow;
                }

                foreach (var (entry, move) in _moves)
                {
                    entry.Replace(move.From, move.To);
                }

                foreach (var (entry, row, dead) in _added)
                {
                    if (!dead)
                    {
                        entry.Rows.Add(row);
                    }
                }

                index._lastSeq = _lastSeq;
            }

            if (_page is not null)
            {
                // Sized once: grown by doubling, a page's list of runs was a tenth of the bytes the
                // server allocated under XADD -P 16 with appendfsync always.
                _page.Runs.Capacity = _added.Count + _moves.Count;
                index.AddPage(_page);
                foreach (var (entry, row, dead) in _added)
                {
                    if (!dead)
                    {
                        index.RunStarted(_page, entry, row);
                    }
                }

                foreach (var (entry, move) in _moves)
                {
                    index.RunStarted(_page, entry, move.To);
                    ended.Add((move.From, entry.Name));
                }
            }

            foreach (var (run, grain) in ended)
            {
                index.RunEnded(run, grain);
            }

            if (_page is { Live: 0 })
            {
                index.PageEnded(_page);
            }

            Forget();
        }

        internal void Start(long lastSeq)
        {
            _lastSeq = lastSeq;
            PageSeq = lastSeq + 1;
            _page = null;
            _stamp++;
            _touched.Clear();
            _added.Clear();
            _addedRecords.Clear();
            _moves.Clear();
            _deleting.Clear();
            _ended.Clear();
        }

        private void Add(GrainName grain, JournalRow row, out bool newGrain)
        {
            var entry = Touch(grain);
            var last = entry.LastAdded ?? entry.LastCommitted();
            if (last is { } previous && previous.FirstVersion >= row.FirstVersion)
            {
                throw new JournalConflictException($"The journal of {grain} already has a row from version {previous.FirstVersion}.");
            }

            newGrain = !(entry.RowAfter ?? entry.HasRow);
            entry.RowAfter = true;
            entry.LastAdded = row;
            _added.Add((entry, row, false));
        }

        // Whether a committed run still lives after this commit's cuts.
        private bool IsLive(GrainEntry entry, JournalRow run) =>
            (entry.Stamp != _stamp || run.FirstVersion > entry.Cut) && entry.Holds(run);

        // The grain's entry, its notes of this commit reset on its first change in the commit.
        private GrainEntry Touch(GrainName grain)
        {
            var entry = index.Find(grain);
            if (entry.Stamp != _stamp)
            {
                entry.Begin(_stamp);
                _touched.Add(entry);
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
            _addedRecords.Clear();
            foreach (var entry in _touched)
            {
                if (entry.IsEmpty)
                {
                    lock (index._lock)
                    {
                        index._grains.Remove(entry.Name);
                    }
                }
            }
        }
    }

    // A page: its live runs, as they were when they started (a run moved out or cut since is
    // found so by its grain's entry), and their bytes, headers included.
    private sealed class Page(long seq, int bytes)
    {
        public long Seq { get; } = seq;

        public int Bytes { get; set; } = bytes;

        public List<(GrainEntry Entry, JournalRow Run)> Runs { get; } = [];

        public int Live { get; set; }

        public long LiveBytes { get; set; }
    }

    // What the index knows of one grain, and what the commit under way changes of it.
    internal sealed class GrainEntry(GrainName name)
    {
        public GrainName Name { get; } = name;

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

        /// <summary>Whether <paramref name="run"/> is one of the committed rows, where it was.</summary>
        public bool Holds(JournalRow run)
        {
            var i = IndexOf(run.FirstVersion);
            return i >= 0 && Rows[i].Seq == run.Seq;
        }

        /// <summary>Puts a run where it was moved.</summary>
        public void Replace(JournalRow from, JournalRow to) => Rows[IndexOf(from.FirstVersion)] = to;

        /// <summary>Removes the committed rows the commit cuts, adding them to <paramref name="ended"/>.</summary>
        public void CutCommitted(List<(JournalRow, GrainName)> ended)
        {
            var count = 0;
            while (count < Rows.Count && Rows[count].FirstVersion <= Cut)
            {
                ended.Add((Rows[count++], Name));
            }

            Rows.RemoveRange(0, count);
        }

        private int IndexOf(long firstVersion)
        {
            int low = 0, high = Rows.Count - 1;
            while (low <= high)
            {
                var middle = (low + high) >>> 1;
                var version = Rows[middle].FirstVersion;
                if (version == firstVersion)
                {
                    return middle;
                }

                if (version < firstVersion)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return -1;
        }
    }
}
