using Platform.Grains.Serialization;
using Platform.Grains.Streams.State;
using Platform.Silo.Storage;

namespace Platform.Grains.Streams;

/// <summary>
/// The stream's storage (DESIGN.md, "State and durability"): every change is a
/// <see cref="StreamRecord"/> handed to the journal; when the records since the last snapshot
/// outweigh it, a snapshot replaces them. Activation reads the snapshot and replays the records
/// after it through the same <see cref="StreamRecord.Apply"/> the live path uses.
/// </summary>
internal sealed partial class StreamGrain
{
    /// <summary>The grain type under which streams are stored.</summary>
    public const string StoredType = "stream";

    // A snapshot is due once the records since the last one outweigh it, and not before this much:
    // replay stays shorter than the snapshot, and a hot small stream is not re-snapshotted often.
    private const long MinRecordBytesBetweenSnapshots = 64 * 1024;

    // Versions for WATCH start apart in each activation, so a reactivated grain never repeats one.
    private static long _activations;

    private readonly ByteWriter _recordWriter = new();
    private long _storedVersion;
    private long _recordBytesSinceSnapshot;
    private long _snapshotBytes;

    // Memory differs from the store: changed under appendfsync no, or when the key was replaced.
    private bool _unsaved;

    /// <inheritdoc/>
    public ValueTask SaveAsync()
    {
        if (Peek(NowMs) is not null)
        {
            WriteSnapshot();
        }

        return ValueTask.CompletedTask;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _version = Interlocked.Increment(ref _activations) << 32;
        var stored = await journal.ReadAsync(StoredType, GetPrimaryKeyString(), cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            _state = Replay(stored);
        }
    }

    private StreamState Replay(StoredGrain stored)
    {
        var state = stored.Snapshot is null ? new StreamState() : StreamStateSerializer.Read(stored.Snapshot);
        _storedVersion = stored.SnapshotVersion;
        _snapshotBytes = stored.Snapshot?.Length ?? 0;
        foreach (var (firstVersion, records) in stored.Journal)
        {
            var reader = new SpanReader(records);
            for (var version = firstVersion; !reader.End; version++)
            {
                var record = StreamRecord.Read(ref reader);
                if (version > _storedVersion)
                {
                    record.Apply(state);
                    _storedVersion = version;
                }
            }

            _recordBytesSinceSnapshot += records.Length;
        }

        state.ExpiresAtMs = stored.ExpiresAtMs;
        return state;
    }

    // Applies a change to the state and stores it.
    private void Apply(StreamRecord record)
    {
        record.Apply(_state!);
        Store(record);
    }

    // Stores a change already made to the state.
    private void Store(StreamRecord record)
    {
        if (record.ChangesEntries)
        {
            Changed();
        }

        if (!CanJournal())
        {
            return;
        }

        _recordWriter.Clear();
        record.Write(_recordWriter);
        var bytes = _recordWriter.ToArray();
        journal.Append(new AppendRecords(StoredType, GetPrimaryKeyString(), ++_storedVersion, bytes));
        _recordBytesSinceSnapshot += bytes.Length;
        if (_recordBytesSinceSnapshot > Math.Max(MinRecordBytesBetweenSnapshots, _snapshotBytes))
        {
            WriteSnapshot();
        }
    }

    // Stores the key's expiry, which the store keeps beside the state for the keyspace to list.
    private void StoreExpiry(long atMs)
    {
        Changed();
        if (CanJournal())
        {
            journal.Append(new SetExpiry(StoredType, GetPrimaryKeyString(), atMs));
        }
    }

    // Whether the change just made goes to the journal as it is. Under appendfsync no it stays in
    // memory (and the activation with it); after such changes the next one stores a snapshot.
    private bool CanJournal()
    {
        if (!journal.IsEnabled)
        {
            _unsaved = true;
            UpdateKeepAlive();
            return false;
        }

        if (_unsaved)
        {
            WriteSnapshot();
            return false;
        }

        return true;
    }

    private void WriteSnapshot()
    {
        var state = _state!;
        var data = StreamStateSerializer.Write(state);
        journal.Append(new WriteSnapshot(StoredType, GetPrimaryKeyString(), _storedVersion, data, state.ExpiresAtMs));
        _snapshotBytes = data.Length;
        _recordBytesSinceSnapshot = 0;
        _unsaved = false;
        UpdateKeepAlive();
    }

    // The key is gone from memory: it goes from the store too, whatever the mode, so that it never
    // comes back with a later activation or a restart.
    private void DeleteStored()
    {
        journal.Append(new DeleteGrain(StoredType, GetPrimaryKeyString()));
        _storedVersion = 0;
        _recordBytesSinceSnapshot = 0;
        _snapshotBytes = 0;
        _unsaved = false;
    }

    // The key replaced whole (RENAME's destination): the store gets it as a snapshot.
    private void StoreReplacement()
    {
        DeleteStored();
        Changed();
        if (journal.IsEnabled)
        {
            WriteSnapshot();
        }
        else
        {
            _unsaved = true;
        }

        UpdateKeepAlive();
    }

    // An activation may be collected when idle unless it holds what exists nowhere else: blocked
    // readers, or changes made in memory only.
    private void UpdateKeepAlive() =>
        DelayDeactivation(_waiters.Count > 0 || (_unsaved && _state is not null) ? TimeSpan.MaxValue : TimeSpan.Zero);
}
