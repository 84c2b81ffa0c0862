using Platform.Grains.Matching;
using Platform.Grains.Streams;
using Platform.Silo;
using Platform.Silo.Storage;

namespace Platform.Grains.Keyspace;

/// <summary>
/// One database's keys and expiry times: an index kept by the key grains (one-way calls), read by
/// the commands that look at many keys, and the active expiry of keys nobody reads (Redis expires
/// them in the background ten times a second). At activation it lists the database's stored keys.
/// </summary>
internal sealed class KeyspaceGrain(IGrainJournal journal) : Grain, IKeyspaceGrain
{
    // Keys examined per active-expiry pass, as Redis bounds its expire cycle.
    private const int ExpiryBatch = 200;
    private static readonly TimeSpan ExpiryPeriod = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    // Every key, for RANDOMKEY (O(1) pick and removal by swapping with the last).
    private readonly List<string> _list = [];

    private static readonly Comparer<(ulong Hash, string Name)> ByHash = Comparer<(ulong Hash, string Name)>.Create(
        static (a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : string.CompareOrdinal(a.Name, b.Name));

    // Every key ordered by a hash of its name: SCAN's cursor is a hash, so keys present for a whole
    // iteration are all returned however others come and go. Made by the first SCAN, and kept from
    // then on: keeping it sorted was 7% of what creating a key cost, for a command many never send.
    private SortedSet<(ulong Hash, string Name)>? _scanOrder;

    // Keys with an expiry, soonest first.
    private readonly SortedSet<(long At, string Name)> _expiries = new(Comparer<(long At, string Name)>.Create(
        static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Name, b.Name)));

    private int _database;
    private IGrainTimer? _expiryTimer;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _database = int.Parse(GetPrimaryKeyString(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var stored in await StoredKeysAsync(cancellationToken).ConfigureAwait(false))
        {
            Track(StreamKeys.Parse(stored.Key).Name, stored.ExpiresAtMs);
        }
    }

    /// <inheritdoc/>
    public ValueTask KeyChangedAsync(string name, long expiresAtMs)
    {
        Track(name, expiresAtMs);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask KeyRemovedAsync(string name)
    {
        Forget(name);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask KeyUsedAsync(string name, long usedAtMs)
    {
        if (_keys.TryGetValue(name, out var entry))
        {
            _keys[name] = entry with { UsedAtMs = usedAtMs };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<long> UsedAtAsync(string name) =>
        ValueTask.FromResult(_keys.TryGetValue(name, out var entry) ? entry.UsedAtMs : -2);

    private void Track(string name, long expiresAtMs)
    {
        if (_keys.TryGetValue(name, out var entry))
        {
            if (entry.ExpiresAtMs >= 0)
            {
                _expiries.Remove((entry.ExpiresAtMs, name));
            }

            _keys[name] = entry with { ExpiresAtMs = expiresAtMs };
        }
        else
        {
            _keys.Add(name, new Entry(expiresAtMs, _list.Count, NowMs));
            _list.Add(name);
            _scanOrder?.Add((Hash(name), name));

            // The index lives in this activation only: it must not be collected while it holds keys.
            DelayDeactivation(TimeSpan.MaxValue);
        }

        if (expiresAtMs >= 0)
        {
            _expiries.Add((expiresAtMs, name));
            _expiryTimer ??= RegisterGrainTimer(ExpireDueAsync, ExpiryPeriod, ExpiryPeriod);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> SizeAsync() => ValueTask.FromResult((long)_keys.Count);

    /// <inheritdoc/>
    public ValueTask<long> CountExistingAsync(string[] names)
    {
        var now = NowMs;
        return ValueTask.FromResult((long)names.Count(name => Live(name, now)));
    }

    /// <inheritdoc/>
    public ValueTask<string[]> KeysAsync(string pattern)
    {
        var now = NowMs;
        var matchAll = pattern == "*";
        var bytes = GrainKeys.ToBytes(pattern);
        return ValueTask.FromResult(_keys
            .Where(k => !Expired(k.Value, now) && (matchAll || GlobPattern.IsMatch(bytes, GrainKeys.ToBytes(k.Key))))
            .Select(k => k.Key)
            .ToArray());
    }

    /// <inheritdoc/>
    public ValueTask<ScanPage> ScanAsync(ulong cursor, string? pattern, long count)
    {
        var now = NowMs;
        var bytes = pattern is null ? null : GrainKeys.ToBytes(pattern);
        var found = new List<string>();
        var examined = 0L;
        ulong next = 0;
        var order = _scanOrder ??= new SortedSet<(ulong Hash, string Name)>(_list.Select(name => (Hash(name), name)), ByHash);
        var view = cursor == 0 ? order : order.GetViewBetween((cursor, ""), (ulong.MaxValue, "\uffff"));
        ulong lastHash = 0;
        foreach (var (hash, name) in view)
        {
            // A page ends between hashes, never inside a run of equal ones: the cursor must point past it.
            if (examined >= count && hash != lastHash)
            {
                next = hash;
                break;
            }

            examined++;
            lastHash = hash;
            if (!Expired(_keys[name], now) && (bytes is null || GlobPattern.IsMatch(bytes, GrainKeys.ToBytes(name))))
            {
                found.Add(name);
            }
        }

        return ValueTask.FromResult(new ScanPage(next, [.. found]));
    }

    /// <inheritdoc/>
    public ValueTask<string?> RandomKeyAsync()
    {
        var now = NowMs;
        for (var attempt = 0; attempt < 100 && _list.Count > 0; attempt++)
        {
            var name = _list[Random.Shared.Next(_list.Count)];
            if (!Expired(_keys[name], now))
            {
                return ValueTask.FromResult<string?>(name);
            }
        }

        return ValueTask.FromResult<string?>(_keys.FirstOrDefault(k => !Expired(k.Value, now)).Key);
    }

    /// <inheritdoc/>
    public ValueTask<(long Keys, long Expires, long AverageTtlMs)> InfoAsync()
    {
        var now = NowMs;
        var remaining = _expiries.Where(e => e.At > now).Select(e => e.At - now).ToList();
        var average = remaining.Count == 0 ? 0 : (long)remaining.Average();
        return ValueTask.FromResult(((long)_keys.Count, (long)_expiries.Count, average));
    }

    /// <inheritdoc/>
    public async ValueTask<long> FlushAsync()
    {
        var names = _list.ToArray();
        foreach (var name in names)
        {
            Forget(name);

            // Stored first: a key whose grain is not active is then found empty, not loaded to be cleared.
            journal.Append(new DeleteGrain(StreamGrain.StoredType, StreamKeys.Of(_database, name)));
        }

        foreach (var name in names)
        {
            await GrainFactory.GetGrain<IStreamGrain>(StreamKeys.Of(_database, name)).ClearAsync().ConfigureAwait(false);
        }

        return names.Length;
    }

    /// <inheritdoc/>
    public async ValueTask<long> SaveAsync()
    {
        var names = _list.ToArray();
        foreach (var name in names)
        {
            await GrainFactory.GetGrain<IStreamGrain>(StreamKeys.Of(_database, name)).SaveAsync().ConfigureAwait(false);
        }

        foreach (var stored in await StoredKeysAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (!_keys.ContainsKey(StreamKeys.Parse(stored.Key).Name))
            {
                journal.Append(new DeleteGrain(StreamGrain.StoredType, stored.Key));
            }
        }

        return names.Length;
    }

    private Task<IReadOnlyList<StoredKey>> StoredKeysAsync(CancellationToken cancellationToken) =>
        journal.ListAsync(StreamGrain.StoredType, StreamKeys.Of(_database, ""), cancellationToken);

    private long NowMs => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    // Active expiry: keys whose time has come are expired through their grains, which tell us back.
    private async Task ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = NowMs;
        var due = _expiries.TakeWhile(e => e.At <= now).Take(ExpiryBatch).Select(e => e.Name).ToArray();
        foreach (var name in due)
        {
            // The grain's own expiry decides; until it has told us, the key is no longer due here.
            if (_keys.TryGetValue(name, out var entry))
            {
                _expiries.Remove((entry.ExpiresAtMs, name));
                _keys[name] = entry with { ExpiresAtMs = -1 };
            }

            await GrainFactory.GetGrain<IStreamGrain>(StreamKeys.Of(_database, name)).ExpireIfDueAsync().ConfigureAwait(false);
        }

        if (_expiries.Count == 0)
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
        }
    }

    private void Forget(string name)
    {
        if (!_keys.Remove(name, out var entry))
        {
            return;
        }

        if (entry.ExpiresAtMs >= 0)
        {
            _expiries.Remove((entry.ExpiresAtMs, name));
        }

        _scanOrder?.Remove((Hash(name), name));
        var last = _list[^1];
        _list[entry.Index] = last;
        _list.RemoveAt(_list.Count - 1);
        if (last != name)
        {
            _keys[last] = _keys[last] with { Index = entry.Index };
        }

        if (_keys.Count == 0)
        {
            DelayDeactivation(TimeSpan.Zero);
        }
    }

    private bool Live(string name, long now) => _keys.TryGetValue(name, out var entry) && !Expired(entry, now);

    private static bool Expired(Entry entry, long now) => entry.ExpiresAtMs >= 0 && entry.ExpiresAtMs <= now;

    // FNV-1a over the name's bytes: stable for the life of the process, 0 kept for "start".
    private static ulong Hash(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash == 0 ? 1 : hash;
    }

    // UsedAtMs: when a command last used the key, as its grain told at its last collection (or
    // when this index learned of the key): OBJECT IDLETIME of a key whose grain was collected.
    private readonly record struct Entry(long ExpiresAtMs, int Index, long UsedAtMs);
}
