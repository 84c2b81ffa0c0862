using Platform.Api.Resp.Commands;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// MULTI/EXEC/DISCARD/WATCH. Commands after MULTI are queued (copied, as the receive buffer moves
/// on) and run one after another by EXEC; WATCH records each key's version and EXEC gives up if
/// any changed. Other clients' commands may run between the queued ones: EXEC is ordered, not
/// isolated across keys (see the README).
/// </summary>
internal sealed partial class RespSession
{
    private List<QueuedCommand>? _transaction;
    private bool _transactionDirty;
    private bool _executingTransaction;
    private List<(IKeyGrain Key, long Version)>? _watched;

    // Streams whose blocked readers wait for the end of the EXEC running now.
    private List<IStreamGrain>? _heldWaiters;

    /// <summary>Between MULTI and EXEC/DISCARD.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>Whether a command may block now (not inside MULTI or EXEC, as Redis's CLIENT_DENY_BLOCKING).</summary>
    public bool CanBlock => !InTransaction && !_executingTransaction;

    /// <summary>MULTI: false if already in one.</summary>
    public bool BeginTransaction()
    {
        if (_transaction is not null)
        {
            return false;
        }

        _transaction = [];
        _transactionDirty = false;
        return true;
    }

    /// <summary>DISCARD: false if not in a transaction.</summary>
    public bool DiscardTransaction()
    {
        if (_transaction is null)
        {
            return false;
        }

        _transaction = null;
        _watched = null;
        return true;
    }

    /// <summary>WATCH a key of the selected database (by its argument index).</summary>
    public async ValueTask WatchAsync(int argument)
    {
        var key = Stream(argument);
        _watched ??= [];
        if (!_watched.Exists(w => w.Key.Equals(key)))
        {
            _watched.Add((key, await key.VersionAsync().ConfigureAwait(false)));
        }
    }

    /// <summary>
    /// Inside EXEC, notes that <paramref name="stream"/> gets entries whose blocked readers must be
    /// served only once the transaction ends; false outside EXEC (serve them at once).
    /// </summary>
    public bool HoldWaitersOf(IStreamGrain stream)
    {
        if (!_executingTransaction)
        {
            return false;
        }

        _heldWaiters ??= [];
        if (!_heldWaiters.Contains(stream))
        {
            _heldWaiters.Add(stream);
        }

        return true;
    }

    /// <summary>UNWATCH.</summary>
    public void Unwatch() => _watched = null;

    /// <summary>EXEC: runs the queued commands, or answers why not.</summary>
    public async ValueTask ExecuteTransactionAsync()
    {
        var queued = _transaction;
        var dirty = _transactionDirty;
        var watched = _watched;
        _transaction = null;
        _watched = null;
        if (queued is null)
        {
            Reply.WriteError("ERR EXEC without MULTI"u8);
            return;
        }

        if (dirty)
        {
            Reply.WriteError("EXECABORT Transaction discarded because of previous errors."u8);
            return;
        }

        foreach (var (key, version) in watched ?? [])
        {
            if (await key.VersionAsync().ConfigureAwait(false) != version)
            {
                Reply.WriteNullArray();
                return;
            }
        }

        // EXEC's own name (its only argument) and command, which the queued commands' replace
        // while they run: MONITOR shows EXEC after them, CLIENT LIST as the last command.
        var (execName, exec) = (Args.ToArray(0), LastCommand);
        Reply.WriteArrayHeader(queued.Count);
        _executingTransaction = true;
        try
        {
            foreach (var command in queued)
            {
                command.LoadInto(Args);
                LastCommand = command.Command;
                await Run(command.Command).ConfigureAwait(false);
            }
        }
        finally
        {
            _executingTransaction = false;
            Args.Reset(execName);
            Args.Add(0, execName.Length);
            LastCommand = exec;
        }

        if (_heldWaiters is { } held)
        {
            _heldWaiters = null;
            foreach (var stream in held)
            {
                await stream.ServeWaitersAsync().ConfigureAwait(false);
            }
        }
    }

    // Inside MULTI: a rejected command makes EXEC fail (Redis's flagTransaction).
    private void FlagTransaction()
    {
        if (_transaction is not null)
        {
            _transactionDirty = true;
        }
    }

    private void QueueCommand(CommandDefinition command)
    {
        _transaction!.Add(QueuedCommand.Copy(command, Args));
        Reply.WriteSimpleString("QUEUED"u8);
        AdvanceReplyMode();
    }

    /// <summary>A command waiting for EXEC, its arguments copied out of the receive buffer.</summary>
    private sealed class QueuedCommand(CommandDefinition command, byte[] data, int[] lengths)
    {
        public CommandDefinition Command => command;

        public static QueuedCommand Copy(CommandDefinition command, Protocol.CommandArguments args)
        {
            var lengths = new int[args.Count];
            var data = new byte[args.TotalBytes];
            var offset = 0;
            for (var i = 0; i < args.Count; i++)
            {
                args[i].CopyTo(data.AsSpan(offset));
                lengths[i] = args[i].Length;
                offset += lengths[i];
            }

            return new QueuedCommand(command, data, lengths);
        }

        public void LoadInto(Protocol.CommandArguments args)
        {
            args.Reset(data);
            var offset = 0;
            foreach (var length in lengths)
            {
                args.Add(offset, length);
                offset += length;
            }
        }
    }
}
