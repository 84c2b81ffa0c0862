using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Platform.Api.Resp.Commands;
using Platform.Api.Resp.Protocol;
using Platform.Api.Server;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// One RESP client connection (Redis's <c>client</c>): its state (id, name, database,
/// protocol, authentication, reply mode) and its command loop, which parses every complete
/// command in the receive buffer, runs each, and sends all their replies in one write.
/// </summary>
internal sealed partial class RespSession : IErrorReplyObserver
{
    // How long a closing connection waits for its last replies to reach the socket.
    private static readonly TimeSpan GracefulCloseTimeout = TimeSpan.FromSeconds(5);

    // Redis's PROTO_IOBUF_LEN: what one read takes at most, unless a command needs more.
    private const int ReceiveSize = 16 * 1024;

    private readonly Socket _socket;

    // Where the session learns that its socket has bytes; null where the loop is not supported.
    private readonly ReadinessLoop.Readiness? _readiness;
    private readonly ServerContext _server;
    private readonly OutputBuffer _output;
    private readonly RequestParser _parser = new();
    private readonly ILogger _logger;
    private readonly Action _onClosed;
    private int _errorReplies;
    private ReplyMode _replyMode;
    private long _queryBufferBytes;
    private long _queryBufferPeak;
    private long _lastInteraction;
    private bool _closeAfterReply;
    private int _killed;
    private volatile bool _blocked;

    // A command of this batch read or wrote data: under appendfsync always its replies wait until
    // every change made so far is committed.
    private bool _sawData;

    // Received bytes not yet parsed start the buffer. It is rented only while bytes are there:
    // an idle connection holds none.
    private byte[] _received = [];
    private int _receivedLength;

    /// <param name="socket">The accepted socket, non-blocking.</param>
    /// <param name="server">What all connections share.</param>
    /// <param name="logger">The sessions' logger.</param>
    /// <param name="onClosed">Called once the connection is closed and all it held is released.</param>
    public RespSession(Socket socket, ServerContext server, ILogger logger, Action onClosed)
    {
        _socket = socket;
        _readiness = ReadinessLoop.TryRegister(socket);
        _onClosed = onClosed;
        _server = server;
        _logger = logger;
        Id = server.Clients.NextId();
        Reply = new ReplyWriter(this);
        _output = new OutputBuffer(socket, server.Stats);
        Authenticated = !server.Config.PasswordRequired;
        ConnectedAt = Environment.TickCount64;
        _lastInteraction = ConnectedAt;
        Address = FormatEndPoint(socket.RemoteEndPoint);
        LocalAddress = FormatEndPoint(socket.LocalEndPoint);
        FileDescriptor = socket.Handle.ToInt64();
    }

    private enum ReplyMode
    {
        On,
        Off,
        SkipNext,
        Skip,
    }

    /// <summary>The client id (CLIENT ID).</summary>
    public long Id { get; }

    /// <summary>The arguments of the command being run.</summary>
    public CommandArguments Args { get; } = new();

    /// <summary>Where the command being run writes its reply.</summary>
    public ReplyWriter Reply { get; }

    /// <summary>What all connections share.</summary>
    public ServerContext Server => _server;

    /// <summary>The grain of the stream named by argument <paramref name="index"/>, in the selected database.</summary>
    public Platform.Grains.Streams.IStreamGrain Stream(int index) => Stream(Database, index);

    /// <summary>The grain of the stream named by argument <paramref name="index"/>, in <paramref name="database"/>.</summary>
    public Platform.Grains.Streams.IStreamGrain Stream(int database, int index) =>
        _server.StreamGrains.Stream(database, Args[index]);

    /// <summary>The keyspace grain of the selected database.</summary>
    public Platform.Grains.Keyspace.IKeyspaceGrain Keyspace =>
        _server.Grains.GetGrain<Platform.Grains.Keyspace.IKeyspaceGrain>(Platform.Grains.Keyspace.StreamKeys.Database(Database));

    /// <summary>CLIENT NO-EVICT: shown in CLIENT LIST's flags; this server evicts no clients.</summary>
    public bool NoEvict { get; set; }

    /// <summary>The client name (CLIENT SETNAME); null when none.</summary>
    public string? Name { get; set; }

    /// <summary>lib-name of CLIENT SETINFO.</summary>
    public string? LibraryName { get; set; }

    /// <summary>lib-ver of CLIENT SETINFO.</summary>
    public string? LibraryVersion { get; set; }

    /// <summary>The selected database (SELECT).</summary>
    public int Database { get; set; }

    /// <summary>Whether the client may run commands that need authentication.</summary>
    public bool Authenticated { get; set; }

    /// <summary>True when a password is set and this client has not authenticated.</summary>
    public bool AuthRequired => !Authenticated && _server.Config.PasswordRequired;

    /// <summary>The protocol version: 2, or 3 after HELLO 3.</summary>
    public int Protocol
    {
        get => Reply.Protocol;
        set => Reply.Protocol = value;
    }

    /// <summary>The peer as "ip:port".</summary>
    public string Address { get; }

    /// <summary>Our side as "ip:port".</summary>
    public string LocalAddress { get; }

    /// <summary>The socket's file descriptor, -1 when unknown.</summary>
    public long FileDescriptor { get; }

    /// <summary>When the client connected (Environment.TickCount64).</summary>
    public long ConnectedAt { get; }

    /// <summary>When the client last sent a command (Environment.TickCount64).</summary>
    public long LastInteraction => Volatile.Read(ref _lastInteraction);

    /// <summary>Waiting in a blocking command (INFO's blocked_clients).</summary>
    public bool IsBlocked => _blocked;

    /// <summary>The last command run, for CLIENT LIST's cmd=.</summary>
    public CommandDefinition? LastCommand { get; private set; }

    /// <summary>Runs the connection until the client leaves, is killed, or breaks the protocol.</summary>
    public async Task RunAsync()
    {
        try
        {
            var mayHaveMore = false;
            while (!_closeAfterReply)
            {
                if (_readiness is not null)
                {
                    await ReadinessLoop.ToLoop();
                }

                if (!mayHaveMore)
                {
                    // Either way the wait holds no buffer, and the batch then runs on the thread
                    // that saw the socket ready.
                    if (_readiness is not null)
                    {
                        await _readiness.WaitAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    }
                }

                var read = Receive(out mayHaveMore);
                if (read == 0)
                {
                    break;
                }

                if (read > 0)
                {
                    _server.Stats.BytesRead(read);
                    await RunBatchAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer went away or the connection was killed.
        }
        catch (Exception e)
        {
            Log.ConnectionFailed(_logger, e, Id);
        }
        finally
        {
            try
            {
                if (_closeAfterReply && Volatile.Read(ref _killed) == 0)
                {
                    // QUIT's +OK or a protocol error's reply may still sit behind a push being sent.
                    await _output.DrainAsync(GracefulCloseTimeout).ConfigureAwait(false);
                }

                await CloseAsync().ConfigureAwait(false);
            }
            finally
            {
                _onClosed();
            }
        }
    }

    // Reads what the socket has, without waiting, after the unparsed bytes: the count, 0 at the
    // end of the stream, -1 when nothing was there after all. mayHaveMore: the read filled the
    // buffer, so more may be waiting.
    private int Receive(out bool mayHaveMore)
    {
        if (_receivedLength == _received.Length)
        {
            // A command larger than the buffer: grow to what it is known to need, at least double.
            var next = ByteBuffers.Rent((int)Math.Min(Array.MaxLength, Math.Max(Math.Max(ReceiveSize, 2L * _received.Length), _parser.BytesNeeded)));
            _received.AsSpan(0, _receivedLength).CopyTo(next);
            ByteBuffers.Return(ref _received);
            _received = next;
        }

        var free = _received.Length - _receivedLength;
        var read = _socket.Receive(_received.AsSpan(_receivedLength), SocketFlags.None, out var error);
        mayHaveMore = read == free;
        if (error == SocketError.WouldBlock)
        {
            ReleaseReceiveBuffer();
            return -1;
        }

        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        _receivedLength += read;
        return read;
    }

    // Parses and runs every complete command received, then sends all their replies in one write.
    private async ValueTask RunBatchAsync()
    {
        var buffer = new ReadOnlySequence<byte>(_received, 0, _receivedLength);
        _output.BeginBatch();
        var status = ParseStatus.NeedMoreData;
        while (!_closeAfterReply)
        {
            status = _parser.Parse(ref buffer, Args, new ParseLimits(_server.Config.ProtoMaxBulkLength, AuthRequired));
            if (status == ParseStatus.NeedMoreData)
            {
                break;
            }

            if (status == ParseStatus.Error)
            {
                ReplyProtocolError();
                break;
            }

            if (status == ParseStatus.Command)
            {
                var pending = Execute();
                if (!pending.IsCompletedSuccessfully)
                {
                    // The command's reply is written by its own continuation, maybe on another
                    // thread: the replies buffer is not touched until it is done. A command
                    // that blocks sends the replies before it itself (WaitAsync). The batch then
                    // goes on on the loop, not beside it on the thread that completed the call.
                    await pending.ConfigureAwait(false);
                    if (_readiness is not null)
                    {
                        await ReadinessLoop.ToLoop();
                    }

                    _output.BeginBatch();
                }
            }
        }

        // The arguments are slices of the received bytes: the rest moves only once they are done with.
        var left = (int)buffer.Length;
        _received.AsSpan(_receivedLength - left, left).CopyTo(_received);
        _receivedLength = left;
        _queryBufferBytes = left;
        _queryBufferPeak = Math.Max(_queryBufferPeak, left);
        if (status == ParseStatus.NeedMoreData && left > _server.Config.ClientQueryBufferLimit)
        {
            Log.QueryBufferLimit(_logger, Id, Address, left);
            _closeAfterReply = true;
        }

        ReleaseReceiveBuffer();
        _parser.ReleaseBuffers();
        Args.Trim();
        await FlushRepliesAsync().ConfigureAwait(false);
    }

    private void ReleaseReceiveBuffer()
    {
        if (_receivedLength == 0)
        {
            ByteBuffers.Return(ref _received);
        }
    }

    /// <summary>
    /// Sends what the commands run so far wrote, before the pushes queued from now on (a
    /// subscription's confirmation must precede its first message).
    /// </summary>
    public void CommitReplies()
    {
        _output.Commit(Reply.Written);
        Reply.Clear();
    }

    /// <summary>Closes the connection once the current reply is sent (QUIT, a self-kill).</summary>
    public void CloseAfterReply() => _closeAfterReply = true;

    /// <summary>Closes the connection from another client (CLIENT KILL) or the server (timeout).</summary>
    /// <returns>False if it was killed already.</returns>
    public bool Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1)
        {
            return false;
        }

        try
        {
            // Ends a read or write in progress; the command loop then closes the socket. Shut
            // before a blocked command is ended, so the reply its end writes cannot go out:
            // Redis closes a killed client without a word.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed already.
        }

        EndWait();
        return true;
    }

    /// <summary>Mutes replies: CLIENT REPLY OFF.</summary>
    public void ReplyOff()
    {
        _replyMode = ReplyMode.Off;
        MuteReplies(true);
    }

    /// <summary>Unmutes replies: CLIENT REPLY ON.</summary>
    public void ReplyOn()
    {
        _replyMode = ReplyMode.On;
        MuteReplies(false);
    }

    /// <summary>Mutes the reply to the next command: CLIENT REPLY SKIP (ignored while OFF).</summary>
    public void SkipNextReply()
    {
        if (_replyMode != ReplyMode.Off)
        {
            _replyMode = ReplyMode.SkipNext;
        }
    }

    /// <summary>RESET: back to the state of a new connection, as Redis's clearClientConnectionState.</summary>
    public async ValueTask ResetStateAsync()
    {
        DiscardTransaction();
        Unwatch();
        StopMonitoring();
        await UnsubscribeAllAsync().ConfigureAwait(false);
        Database = 0;
        Protocol = 2;
        Name = null;
        ReplyOn();
        Authenticated = !_server.Config.PasswordRequired;
    }

    /// <summary>The CLIENT LIST / CLIENT INFO line of this client, without the newline.</summary>
    public void AppendInfo(StringBuilder line)
    {
        var now = Environment.TickCount64;
        var pending = _output.PendingBytes;
        line.Append("id=").Append(Id)
            .Append(" addr=").Append(Address)
            .Append(" laddr=").Append(LocalAddress)
            .Append(" fd=").Append(FileDescriptor)
            .Append(" name=").Append(Name)
            .Append(" age=").Append((now - ConnectedAt) / 1000)
            .Append(" idle=").Append((now - LastInteraction) / 1000)
            .Append(" flags=").Append(Flags())
            .Append(" db=").Append(Database)
            .Append(" sub=").Append(ChannelSubscriptions)
            .Append(" psub=").Append(PatternSubscriptions)
            .Append(" ssub=").Append(ShardSubscriptions)
            .Append(" multi=").Append(_transaction?.Count ?? -1)
            .Append(" qbuf=").Append(_queryBufferBytes)
            .Append(" qbuf-free=0")
            .Append(" argv-mem=").Append(Args.TotalBytes)
            .Append(" multi-mem=0")
            .Append(" rbs=").Append(_queryBufferBytes)
            .Append(" rbp=").Append(_queryBufferPeak)
            .Append(" obl=").Append(Reply.Length)
            .Append(" oll=").Append(pending > 0 ? 1 : 0)
            .Append(" omem=").Append(pending)
            .Append(" tot-mem=").Append(_queryBufferBytes + Reply.Length + pending)
            .Append(" events=").Append(pending > 0 ? "rw" : "r")
            .Append(" cmd=").Append(LastCommand?.FullName ?? "NULL")
            .Append(" user=default redir=-1")
            .Append(" resp=").Append(Protocol)
            .Append(" lib-name=").Append(LibraryName)
            .Append(" lib-ver=").Append(LibraryVersion);
    }

    // Redis's letters, in its order: O monitoring, P subscribed, x in MULTI (and while EXEC runs), b blocked,
    // c closing after the reply, e CLIENT NO-EVICT on; N none.
    private string Flags()
    {
        var flags = (_monitoring ? "O" : "") + (IsSubscribed ? "P" : "") + (InTransaction || _executingTransaction ? "x" : "") + (_blocked ? "b" : "")
            + (_closeAfterReply ? "c" : "") + (NoEvict ? "e" : "");
        return flags.Length == 0 ? "N" : flags;
    }

    void IErrorReplyObserver.OnErrorReply(ReadOnlySpan<byte> text)
    {
        _errorReplies++;
        _server.Stats.ErrorReply(text);
    }

    private ValueTask Execute()
    {
        Volatile.Write(ref _lastInteraction, Environment.TickCount64);
        var command = _server.Commands.Find(Args[0]);
        LastCommand = null;
        if (command is null)
        {
            RejectUnknownCommand();
            return ValueTask.CompletedTask;
        }

        if (command.Subcommands.Count > 0 && Args.Count >= 2)
        {
            var subcommand = _server.Commands.FindSubcommand(command, Args[1]);
            if (subcommand is null)
            {
                RejectUnknownSubcommand();
                return ValueTask.CompletedTask;
            }

            command = subcommand;
        }

        LastCommand = command;
        if (!command.AcceptsArgumentCount(Args.Count))
        {
            Reject(command, Encoding.UTF8.GetBytes($"ERR wrong number of arguments for '{command.FullName}' command"));
            return ValueTask.CompletedTask;
        }

        if (AuthRequired && (command.Flags & CommandFlags.NoAuth) == 0)
        {
            Reject(command, Errors.NoAuth);
            return ValueTask.CompletedTask;
        }

        if (InTransaction && (command.Flags & CommandFlags.NoMulti) != 0)
        {
            Reject(command, "ERR Command not allowed inside a transaction"u8);
            return ValueTask.CompletedTask;
        }

        if (_server.Persistence.Error is { } storageError && (command.IsWrite || command.FullName == "ping"))
        {
            // Redis refuses writes (and PING, which monitors use) while its AOF cannot be written.
            Reject(command, Encoding.UTF8.GetBytes($"MISCONF Errors writing to the AOF file: {storageError}"));
            return ValueTask.CompletedTask;
        }

        if (Protocol == 2 && !command.AllowedWhileSubscribed && IsSubscribed)
        {
            Reject(command, Encoding.UTF8.GetBytes(
                $"ERR Can't execute '{command.FullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
            return ValueTask.CompletedTask;
        }

        if (_monitoring && ((command.Flags & (CommandFlags.Write | CommandFlags.ReadOnly)) != 0 || command.FullName is "publish" or "spublish"))
        {
            // Redis's monitors are replicas of a kind, which may not touch keys nor publish (its
            // PUBLISH is flagged may_replicate, which COMMAND INFO does not show).
            Reject(command, "ERR Replica can't interact with the keyspace"u8);
            return ValueTask.CompletedTask;
        }

        if (InTransaction && !command.RunsInsideTransaction)
        {
            QueueCommand(command);
            return ValueTask.CompletedTask;
        }

        return Run(command);
    }

    // Runs a command that passed every check, timing it for INFO commandstats.
    private ValueTask Run(CommandDefinition command)
    {
        _errorReplies = 0;
        _waitedTicks = 0;
        _redacted?.Clear();
        _sawData |= command.TouchesData;

        // A subscriber's earlier replies go before any message this command makes it receive
        // (a PUBLISH to its own channel, a keyspace event of its own write), as in Redis.
        if (IsSubscribed && Reply.Length > 0)
        {
            CommitReplies();
        }

        var started = Stopwatch.GetTimestamp();
        ValueTask pending;
        try
        {
            pending = command.Handler!.ExecuteAsync(this);
        }
        catch (Exception e)
        {
            pending = ValueTask.FromException(e);
        }

        if (pending.IsCompletedSuccessfully)
        {
            Completed(command, started);
            return ValueTask.CompletedTask;
        }

        return AwaitCommandAsync(pending, command, started);
    }

    private async ValueTask AwaitCommandAsync(ValueTask pending, CommandDefinition command, long started)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CommandFailed(_logger, e, command.FullName, Id);
            Reply.WriteError("ERR internal error"u8);
        }

        Completed(command, started);
    }

    private void Completed(CommandDefinition command, long started)
    {
        var ended = Stopwatch.GetTimestamp();
        var nanoseconds = (long)(Stopwatch.GetElapsedTime(started, ended).Ticks * 100);
        command.Stats.RecordCall(nanoseconds, _errorReplies > 0);
        RecordIfSlow(command, Stopwatch.GetElapsedTime(started + _waitedTicks, ended));
        ShowCompletedToMonitors(command);
        if (command.IsWrite && _errorReplies == 0)
        {
            _server.Persistence.Changed();
        }

        _server.Stats.CommandProcessed();
        AdvanceReplyMode();
    }

    private void Reject(CommandDefinition command, ReadOnlySpan<byte> error)
    {
        command.Stats.RecordRejected();
        if (InTransaction && command.FullName == "exec")
        {
            // Redis's execCommandAbort: a rejected EXEC ends the transaction, saying why.
            DiscardTransaction();
            Reply.WriteFormattedError([.. "EXECABORT Transaction discarded because of: "u8, .. WithoutErrPrefix(error)]);
        }
        else
        {
            FlagTransaction();
            Reply.WriteFormattedError(error);
        }

        AdvanceReplyMode();
    }

    private static ReadOnlySpan<byte> WithoutErrPrefix(ReadOnlySpan<byte> error) =>
        error.StartsWith("ERR "u8) ? error["ERR ".Length..] : error;

    // Redis's resetClient: a SKIP mutes exactly the command after CLIENT REPLY SKIP.
    private void AdvanceReplyMode()
    {
        // A monitor's reply goes out before any line of the feed sent after its command.
        if (_monitoring)
        {
            CommitReplies();
        }

        switch (_replyMode)
        {
            case ReplyMode.Skip:
                _replyMode = ReplyMode.On;
                MuteReplies(false);
                break;
            case ReplyMode.SkipNext:
                _replyMode = ReplyMode.Skip;
                MuteReplies(true);
                break;
        }
    }

    private void RejectUnknownCommand()
    {
        // "unknown command '%.128s', with args beginning with: " then "'%.*s' " per argument
        // while the list is under 128 bytes; %s stops at a NUL.
        var text = new ArrayBufferWriter<byte>(256);
        text.Write("ERR unknown command '"u8);
        text.Write(CString(Args[0], 128));
        text.Write("', with args beginning with: "u8);
        var written = 0;
        for (var i = 1; i < Args.Count && written < 128; i++)
        {
            var argument = CString(Args[i], 128 - written);
            text.Write("'"u8);
            text.Write(argument);
            text.Write("' "u8);
            written += argument.Length + 3;
        }

        FlagTransaction();
        Reply.WriteFormattedError(text.WrittenSpan);
        AdvanceReplyMode();
    }

    private void RejectUnknownSubcommand()
    {
        var text = new ArrayBufferWriter<byte>(256);
        text.Write("ERR unknown subcommand '"u8);
        text.Write(CString(Args[1], 128));
        text.Write("'. Try "u8);
        var container = CString(Args[0], int.MaxValue);
        var upper = text.GetSpan(container.Length)[..container.Length];
        Ascii.ToUpper(container, upper, out _);
        text.Advance(container.Length);
        text.Write(" HELP."u8);
        FlagTransaction();
        Reply.WriteFormattedError(text.WrittenSpan);
        AdvanceReplyMode();
    }

    private void ReplyProtocolError()
    {
        if (_parser.Error == ProtocolError.ExpectedDollar)
        {
            Span<byte> text = stackalloc byte[64];
            var prefix = "ERR Protocol error: expected '$', got '"u8;
            prefix.CopyTo(text);
            text[prefix.Length] = _parser.UnexpectedByte;
            text[prefix.Length + 1] = (byte)'\'';
            Reply.WriteFormattedError(text[..(prefix.Length + 2)]);
        }
        else
        {
            Reply.WriteError(Errors.For(_parser.Error));
        }

        Log.ProtocolError(_logger, Id, Address, _parser.Error);
        _closeAfterReply = true;
    }

    private async ValueTask FlushRepliesAsync()
    {
        if (Volatile.Read(ref _killed) != 0)
        {
            Reply.Clear();
            return;
        }

        if (_sawData)
        {
            _sawData = false;
            await _server.Persistence.Journal.BarrierAsync().ConfigureAwait(false);
            if (_readiness is not null)
            {
                // Released by the journal's writer (PostgreSQL), the replies were sent from its
                // thread, one connection after another, and the next commit waited for them:
                // with XADD -P 1 from 50 connections, the writer spent three quarters of its
                // time in those sends, and the loop, which sends them now, was mostly idle.
                await ReadinessLoop.ToLoop();
            }
        }

        var flush = _output.FlushAsync(Reply.Written);
        Reply.Clear();
        await flush.ConfigureAwait(false);
        if (Reply.Length == 0)
        {
            Reply.Release();
        }
    }

    private async ValueTask CloseAsync()
    {
        _server.Clients.Remove(this);
        StopMonitoring();
        EndWait();
        _output.Close();
        await UnsubscribeAllAsync().ConfigureAwait(false);
        _parser.ReleaseBuffers();
        Reply.Release();
        _readiness?.Dispose();
        _socket.Dispose();
        _receivedLength = 0;
        ByteBuffers.Return(ref _received);
        if (Volatile.Read(ref _killed) != 0)
        {
            Log.Killed(_logger, Id, Address);
        }
    }

    // The bytes a C string format would print: up to the first NUL, at most 'max'.
    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> value, int max)
    {
        var nul = value.IndexOf((byte)0);
        if (nul >= 0)
        {
            value = value[..nul];
        }

        return value.Length > max ? value[..max] : value;
    }

    private static string FormatEndPoint(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return endPoint?.ToString() ?? "";
        }

        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{ip.Port}"
            : $"{address}:{ip.Port}";
    }
}
