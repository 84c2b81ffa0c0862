using Platform.Grains.Keyspace;
using Platform.Grains.Streams.State;

namespace Platform.Grains.Streams;

/// <summary>The keyspace commands on this key: DEL, EXPIRE family, TTL, PERSIST, the halves of RENAME, MOVE and COPY, WATCH.</summary>
internal sealed partial class StreamGrain
{
    /// <inheritdoc/>
    public ValueTask<bool> ExistsAsync() => Result(Peek(NowMs) is not null);

    /// <inheritdoc/>
    public ValueTask<bool> TouchAsync() => Result(Current(NowMs) is not null);

    /// <inheritdoc/>
    public ValueTask<long> UsedAtAsync() => Result(Peek(NowMs) is null ? -2 : _usedAtMs);

    /// <inheritdoc/>
    public ValueTask<bool> DeleteAsync()
    {
        if (Current(NowMs) is null)
        {
            return Result(false);
        }

        Remove("del", KeyspaceEventClass.Generic);
        return Result(true);
    }

    /// <inheritdoc/>
    public ValueTask<long> ExpireAsync(long atMs, ExpireCondition condition)
    {
        var now = NowMs;
        var state = Current(now);
        if (state is null)
        {
            return Result(0L);
        }

        var current = state.ExpiresAtMs;
        if ((condition.HasFlag(ExpireCondition.IfNone) && current != -1)
            || (condition.HasFlag(ExpireCondition.IfSome) && current == -1)
            || (condition.HasFlag(ExpireCondition.IfGreater) && (current == -1 || atMs <= current))
            || (condition.HasFlag(ExpireCondition.IfLess) && current != -1 && atMs >= current))
        {
            return Result(0L);
        }

        if (atMs <= now)
        {
            // An expiry in the past deletes the key at once, reported as a DEL.
            Remove("del", KeyspaceEventClass.Generic);
            return Result(1L);
        }

        SetExpiry(state, atMs, "expire");
        return Result(1L);
    }

    /// <inheritdoc/>
    public ValueTask<long> ExpiryAsync()
    {
        var state = Peek(NowMs);
        return Result(state is null ? -2 : state.ExpiresAtMs);
    }

    /// <inheritdoc/>
    public ValueTask<bool> PersistAsync()
    {
        var state = Current(NowMs);
        if (state is not { ExpiresAtMs: >= 0 })
        {
            return Result(false);
        }

        SetExpiry(state, -1, "persist");
        return Result(true);
    }

    /// <inheritdoc/>
    public ValueTask<KeyDump?> TakeAsync()
    {
        var state = Current(NowMs);
        if (state is null)
        {
            return Result<KeyDump?>(null);
        }

        var dump = Dump(state);
        Remove(eventName: null, KeyspaceEventClass.Generic);
        return Result<KeyDump?>(dump);
    }

    /// <inheritdoc/>
    public ValueTask<KeyDump?> CopyAsync() => Result(Current(NowMs) is { } state ? Dump(state) : null);

    /// <inheritdoc/>
    public ValueTask PutAsync(KeyDump dump, KeyArrival arrival)
    {
        // A destination that has expired goes first, with its own event, as in Redis. The value is
        // new here: used now, unless RESTORE says otherwise.
        var now = NowMs;
        Current(now);
        _usedAtMs = now - dump.IdleMs;
        var state = StreamStateSerializer.Read(dump.Data);
        state.ExpiresAtMs = dump.ExpiresAtMs;
        _state = state;
        StoreReplacement();
        OneWay.Forget(_keyspace.KeyChangedAsync(_name, state.ExpiresAtMs));
        events.Notify(KeyspaceEventClass.New, "new", _database, _name);
        switch (arrival)
        {
            case KeyArrival.Renamed:
                events.Notify(KeyspaceEventClass.Generic, "rename_from", dump.SourceDatabase, dump.SourceKey);
                events.Notify(KeyspaceEventClass.Generic, "rename_to", _database, _name);
                break;
            case KeyArrival.Copied:
                events.Notify(KeyspaceEventClass.Generic, "copy_to", _database, _name);
                break;
            case KeyArrival.Moved:
                events.Notify(KeyspaceEventClass.Generic, "move_from", dump.SourceDatabase, dump.SourceKey);
                events.Notify(KeyspaceEventClass.Generic, "move_to", _database, _name);
                break;
            case KeyArrival.Restored:
                events.Notify(KeyspaceEventClass.Generic, "restore", _database, _name);
                break;
        }

        ServeWaiters();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<long> VersionAsync()
    {
        Peek(NowMs);
        return Result(_version);
    }

    /// <inheritdoc/>
    public ValueTask<bool> ExpireIfDueAsync()
    {
        var existed = _state is not null;
        return Result(existed && Peek(NowMs) is null);
    }

    /// <inheritdoc/>
    public ValueTask ClearAsync()
    {
        if (_state is not null)
        {
            _state = null;
            Changed();
            DeleteStored();
            FailGroupWaiters(StreamError.KeyDeletedWhileBlocked, group: null);
            UpdateKeepAlive();
        }

        return ValueTask.CompletedTask;
    }

    private KeyDump Dump(StreamState state) => new(StreamStateSerializer.Write(state), state.ExpiresAtMs, _name, _database);

    private void SetExpiry(StreamState state, long atMs, string eventName)
    {
        state.ExpiresAtMs = atMs;
        StoreExpiry(atMs);
        OneWay.Forget(_keyspace.KeyChangedAsync(_name, atMs));
        events.Notify(KeyspaceEventClass.Generic, eventName, _database, _name);
    }
}
