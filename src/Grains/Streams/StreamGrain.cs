using Platform.Grains.Keyspace;
using Platform.Grains.Streams.Dump;
using Platform.Grains.Streams.State;
using Platform.Silo;
using Platform.Silo.Storage;

namespace Platform.Grains.Streams;

/// <summary>
/// One stream key with Redis 7's semantics: entries, consumer groups and their pending lists,
/// blocked readers, expiry. Its whole state is <see cref="_state"/> (null while the key does not
/// exist); every command runs in one turn, so a reply reflects exactly the changes before it.
/// Each change is also a journal record (StreamGrain.Persistence.cs).
/// </summary>
internal sealed partial class StreamGrain(KeyspaceEvents events, IGrainJournal journal) : Grain, IStreamGrain
{
    private StreamState? _state;
    // What WATCH compares: bumped whenever Redis would signal the key as modified.
    private long _version;
    private int _database;
    private string _name = "";
    private IKeyspaceGrain _keyspace = null!;

    // When a command last used the key (OBJECT IDLETIME), 0 until one does in this activation: the
    // keyspace keeps the time from the activation before (OnDeactivateAsync).
    private long _usedAtMs;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_database, _name) = StreamKeys.Parse(GetPrimaryKeyString());
        _keyspace = GrainFactory.GetGrain<IKeyspaceGrain>(StreamKeys.Database(_database));
        return LoadAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_usedAtMs != 0 && _state is not null)
        {
            OneWay.Forget(_keyspace.KeyUsedAsync(_name, _usedAtMs));
        }

        return Task.CompletedTask;
    }

    private long NowMs => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <inheritdoc/>
    public ValueTask<AddResult> AddAsync(AddRequest request)
    {
        if (request.Mode == IdMode.Explicit && request.Id.IsZero)
        {
            return Result(new AddResult(StreamError.IdZero, default));
        }

        var now = NowMs;
        var state = Current(now);
        var created = state is null;
        if (state is null)
        {
            if (request.NoMakeStream)
            {
                return Result(new AddResult(StreamError.NoKey, default));
            }

            state = Create();
        }

        if (state.LastId == StreamId.Max)
        {
            return Result(new AddResult(StreamError.Exhausted, default));
        }

        if (!TryChooseId(state, request, now, out var id))
        {
            return Result(new AddResult(StreamError.IdTooSmall, default));
        }

        Apply(new StreamRecord.Added(id, request.FieldsAndValues));
        if (created)
        {
            events.Notify(KeyspaceEventClass.New, "new", _database, _name);
        }

        events.Notify(KeyspaceEventClass.Stream, "xadd", _database, _name);
        if (request.Trim.Strategy != TrimStrategy.None && Trim(state, request.Trim) > 0)
        {
            events.Notify(KeyspaceEventClass.Stream, "xtrim", _database, _name);
        }

        if (!request.HoldWaiters)
        {
            ServeWaiters();
        }

        return Result(new AddResult(StreamError.None, id));
    }

    /// <inheritdoc/>
    public ValueTask<long> LengthAsync() => Result(Current(NowMs)?.Length ?? 0);

    /// <inheritdoc/>
    public ValueTask<byte[]?> DumpAsync() => Result(Current(NowMs) is { } state ? RedisDump.Write(state) : null);

    /// <inheritdoc/>
    public ValueTask<long> MemoryUsageAsync() => Result(Peek(NowMs) is { } state ? state.EstimateBytes() + (2L * _name.Length) : -1);

    /// <inheritdoc/>
    public ValueTask<StreamEntries?> RangeAsync(StreamId start, StreamId end, long count, bool reverse)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result<StreamEntries?>(null);
        }

        var entries = new StreamEntries((int)Math.Clamp(count, 1, 128));
        if (count != 0)
        {
            state.Entries.Range(start, end, Math.Max(0, count), reverse, entries);
        }

        return Result<StreamEntries?>(entries);
    }

    /// <inheritdoc/>
    public ValueTask<long> DeleteEntriesAsync(StreamId[] ids)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result(0L);
        }

        var deleted = state.DeleteEntries(ids);
        if (deleted > 0)
        {
            Store(new StreamRecord.EntriesDeleted(ids));
            events.Notify(KeyspaceEventClass.Stream, "xdel", _database, _name);
        }

        return Result(deleted);
    }

    /// <inheritdoc/>
    public ValueTask<long> TrimAsync(TrimRequest trim)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result(0L);
        }

        var removed = Trim(state, trim);
        if (removed > 0)
        {
            events.Notify(KeyspaceEventClass.Stream, "xtrim", _database, _name);
        }

        return Result(removed);
    }

    /// <inheritdoc/>
    public ValueTask<StreamError> SetIdAsync(StreamId id, long entriesAdded, StreamId maxDeletedId)
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result(StreamError.NoKey);
        }

        if (state.Length > 0)
        {
            if (id < state.LastValidId)
            {
                return Result(StreamError.SetIdTooSmall);
            }

            if (entriesAdded != -1 && state.Length > entriesAdded)
            {
                return Result(StreamError.EntriesAddedTooSmall);
            }
        }

        Apply(new StreamRecord.IdSet(id, entriesAdded, maxDeletedId));
        events.Notify(KeyspaceEventClass.Stream, "xsetid", _database, _name);
        return Result(StreamError.None);
    }

    /// <inheritdoc/>
    public ValueTask<(StreamEntries Entries, StreamId LastId)> ReadAsync(StreamId? after, long count)
    {
        var entries = new StreamEntries();
        var state = Current(NowMs);
        if (state is null)
        {
            return Result((entries, StreamId.Min));
        }

        var from = after ?? state.LastId;
        if (state.Length > 0 && state.LastValidId > from)
        {
            ReadAfter(state, from, count, entries);
        }

        return Result((entries, state.LastId));
    }

    // The next ID, as XADD chooses it; false when the ID given is not greater than the top item.
    private static bool TryChooseId(StreamState state, AddRequest request, long now, out StreamId id)
    {
        var last = state.LastId;
        switch (request.Mode)
        {
            case IdMode.Auto:
                if ((ulong)now > last.Ms)
                {
                    id = new StreamId((ulong)now, 0);
                    return true;
                }

                return last.TryIncrement(out id);

            case IdMode.AutoSequence:
                if (request.Id.Ms == last.Ms)
                {
                    if (last.Seq == ulong.MaxValue)
                    {
                        id = default;
                        return false;
                    }

                    id = new StreamId(last.Ms, last.Seq + 1);
                }
                else
                {
                    id = new StreamId(request.Id.Ms, 0);
                }

                return id > last;

            default:
                id = request.Id;
                return id > last;
        }
    }

    // Trims (XADD's or XTRIM's), storing the trim if it removed anything: replayed on the same
    // entries it removes the same ones.
    private long Trim(StreamState state, TrimRequest trim)
    {
        var removed = state.Trim(trim);
        if (removed > 0)
        {
            Store(new StreamRecord.Trimmed(trim));
        }

        return removed;
    }

    private static void ReadAfter(StreamState state, StreamId after, long count, StreamEntries entries)
    {
        // An ID at the very top has no successor: Redis's increment wraps to 0-0 and reads all.
        after.TryIncrement(out var start);
        state.Entries.Range(start, StreamId.Max, count, reverse: false, entries);
    }

    // The key's state for a command that uses it, as Redis's lookups do (OBJECT IDLETIME).
    private StreamState? Current(long now)
    {
        _usedAtMs = now;
        return Peek(now);
    }

    // The stream, unless it does not exist or has just expired (lazy expiry: an expired key goes
    // the first time anything touches it); not a use of the key, as Redis's LOOKUP_NOTOUCH
    // (EXISTS, TTL, WATCH, OBJECT).
    private StreamState? Peek(long now)
    {
        if (_state is { ExpiresAtMs: >= 0 } state && now >= state.ExpiresAtMs)
        {
            Remove("expired", KeyspaceEventClass.Expired);
        }

        return _state;
    }

    private StreamState Create()
    {
        _state = new StreamState();
        Changed();
        OneWay.Forget(_keyspace.KeyChangedAsync(_name, -1));
        return _state;
    }

    // The key is gone (deleted, expired, renamed away): blocked group readers learn it. RENAME's
    // source raises no event here (null): its destination raises rename_from after its own new.
    private void Remove(string? eventName, KeyspaceEventClass eventClass)
    {
        _state = null;
        Changed();
        DeleteStored();
        OneWay.Forget(_keyspace.KeyRemovedAsync(_name));
        if (eventName is not null)
        {
            events.Notify(eventClass, eventName, _database, _name);
        }

        FailGroupWaiters(StreamError.KeyDeletedWhileBlocked, group: null);
        UpdateKeepAlive();
    }

    private void Changed() => _version++;

    private static ValueTask<T> Result<T>(T value) => ValueTask.FromResult(value);
}
