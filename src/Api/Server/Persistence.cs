using Platform.Api.Configuration;
using Platform.Grains.Keyspace;
using Platform.Silo;
using Platform.Silo.Storage;

namespace Platform.Api.Server;

/// <summary>
/// The server's side of storage: opens the store and loads each database's key index before the
/// ports open, runs SAVE and BGSAVE, follows CONFIG SET appendfsync, and keeps the figures of
/// INFO persistence.
/// </summary>
internal sealed partial class Persistence
{
    // How often a SAVE waiting for its commit looks whether the store has failed meanwhile.
    private static readonly TimeSpan FailureCheckPeriod = TimeSpan.FromMilliseconds(100);

    private readonly GrainJournal _journal;
    private readonly IGrainFactory _grains;
    private readonly ServerConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger<Persistence> _logger;
    private readonly Lock _lock = new();
    private Task? _save;
    private long _saveStarted;
    private long _dirtyAtLastSave;
    private long _dirty;

    public Persistence(GrainJournal journal, IGrainFactory grains, ServerConfig config, TimeProvider time, ILogger<Persistence> logger)
    {
        _journal = journal;
        _grains = grains;
        _config = config;
        _time = time;
        _logger = logger;
        LastSaveTime = time.GetUtcNow();
        config.AppendFsyncChanged = OnAppendFsyncChanged;
    }

    /// <summary>The journal's writer.</summary>
    public GrainJournal Journal => _journal;

    /// <summary>Why the store fails now; null while it works.</summary>
    public string? Error => _journal.Error;

    /// <summary>Keys found in the store at start (rdb_last_load_keys_loaded).</summary>
    public long KeysLoaded { get; private set; }

    /// <summary>When the last SAVE or BGSAVE succeeded, or the server started.</summary>
    public DateTimeOffset LastSaveTime { get; private set; }

    /// <summary>SAVEs and BGSAVEs that succeeded (rdb_saves).</summary>
    public long Saves { get; private set; }

    /// <summary>Whether the last SAVE or BGSAVE succeeded.</summary>
    public bool LastSaveSucceeded { get; private set; } = true;

    /// <summary>Seconds the last SAVE or BGSAVE took, -1 before the first.</summary>
    public long LastSaveSeconds { get; private set; } = -1;

    /// <summary>Whether a BGSAVE is running.</summary>
    public bool SaveInProgress
    {
        get
        {
            lock (_lock)
            {
                return _save is { IsCompleted: false };
            }
        }
    }

    /// <summary>Seconds the running BGSAVE has taken, -1 when none runs.</summary>
    public long CurrentSaveSeconds => SaveInProgress ? (long)_time.GetElapsedTime(_saveStarted).TotalSeconds : -1;

    /// <summary>Changes made by write commands since the last save (rdb_changes_since_last_save).</summary>
    public long ChangesSinceLastSave => Interlocked.Read(ref _dirty) - Interlocked.Read(ref _dirtyAtLastSave);

    /// <summary>A write command changed something.</summary>
    public void Changed() => Interlocked.Increment(ref _dirty);

    /// <summary>Opens the store and loads every database's index of keys.</summary>
    /// <exception cref="InvalidOperationException">The store cannot be used; the message says why.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _journal.StartAsync(cancellationToken).ConfigureAwait(false);
        long keys = 0;
        for (var database = 0; database < _config.Databases; database++)
        {
            keys += await _grains.GetGrain<IKeyspaceGrain>(StreamKeys.Database(database)).SizeAsync().ConfigureAwait(false);
        }

        KeysLoaded = keys;
        Log.Loaded(_logger, _journal.Storage.Name, keys, _config.Find("appendfsync")!.Get());
    }

    /// <summary>
    /// Starts a save (SAVE waits for it, BGSAVE does not): every key's snapshot, committed. Null
    /// when one is running already.
    /// </summary>
    /// <returns>Completes with false if the store failed.</returns>
    public Task<bool>? TryStartSave()
    {
        lock (_lock)
        {
            if (_save is { IsCompleted: false })
            {
                return null;
            }

            var save = RunSaveAsync();
            _save = save;
            return save;
        }
    }

    /// <summary>
    /// A save that starts once the one running (if any) has ended, so that it holds every change
    /// made until now: BGSAVE SCHEDULE, and SHUTDOWN SAVE (Redis kills a running BGSAVE and saves anew).
    /// </summary>
    /// <returns>Completes with false if the store failed.</returns>
    public Task<bool> SaveAfterRunningAsync()
    {
        lock (_lock)
        {
            var save = _save is { IsCompleted: false } running
                ? running.ContinueWith(_ => RunSaveAsync(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap()
                : RunSaveAsync();
            _save = save;
            return save;
        }
    }

    private async Task<bool> RunSaveAsync()
    {
        _saveStarted = _time.GetTimestamp();
        var dirty = Interlocked.Read(ref _dirty);
        try
        {
            for (var database = 0; database < _config.Databases; database++)
            {
                await _grains.GetGrain<IKeyspaceGrain>(StreamKeys.Database(database)).SaveAsync().ConfigureAwait(false);
            }

            var flush = _journal.FlushAsync();
            while (!flush.IsCompleted)
            {
                if (_journal.Error is not null)
                {
                    throw new IOException(_journal.Error);
                }

                await Task.WhenAny(flush, Task.Delay(FailureCheckPeriod, _time)).ConfigureAwait(false);
            }

            await flush.ConfigureAwait(false);
            LastSaveTime = _time.GetUtcNow();
            Saves++;
            Interlocked.Exchange(ref _dirtyAtLastSave, dirty);
            LastSaveSucceeded = true;
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Log.SaveFailed(_logger, e);
            LastSaveSucceeded = false;
            return false;
        }
        finally
        {
            LastSaveSeconds = (long)_time.GetElapsedTime(_saveStarted).TotalSeconds;
        }
    }

    private void OnAppendFsyncChanged(Durability before)
    {
        _journal.Durability = _config.AppendFsync;

        // Leaving memory-only: what was changed meanwhile is stored now (Redis rewrites its AOF).
        if (before == Durability.No)
        {
            _ = SaveAfterRunningAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Storage {Provider}: {Keys} keys, appendfsync {Mode}")]
        public static partial void Loaded(ILogger logger, string provider, long keys, string mode);

        [LoggerMessage(2, LogLevel.Error, "SAVE failed")]
        public static partial void SaveFailed(ILogger logger, Exception exception);
    }
}
