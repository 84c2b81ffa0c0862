using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Platform.Client.Protocol;

namespace Platform.Client.Connections;

/// <summary>
/// One TCP connection speaking RESP. Many callers write commands concurrently: each copies its
/// encoded command into the output buffer under a short lock and queues its operation in the same
/// order. The first writer to find no send in progress sends on its own thread (no thread hop
/// when the connection is idle); writers that come while a send is in flight append behind it, and
/// everything that accumulated goes out in the next single send, so concurrent commands are
/// batched. One read loop scans replies in place from the input pipe (a <see cref="PipeReader"/>
/// over the socket) and completes the operations in order. When the connection dies every waiting operation fails at once, saying
/// whether its command had been sent.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private OutputBuffer _fill = new();
    private OutputBuffer _spare = new();
    private readonly PipeReader _input;
    private readonly ConcurrentQueue<Operation> _pending = new();
    private readonly Lock _writeLock = new();
    private readonly IPushHandler? _pushHandler;
    private readonly Action<RespConnection, Exception?>? _closed;
    private readonly Timer _sweep;
    private FrameScanner _scanner;
    private long _written;
    private long _sent;
    private bool _isClosed;
    private bool _sending;
    private Exception? _closeReason;
    private Task _readLoop = Task.CompletedTask;

    private RespConnection(Socket socket, string endPoint, IPushHandler? pushHandler, Action<RespConnection, Exception?>? closed)
    {
        _socket = socket;
        EndPoint = endPoint;
        _pushHandler = pushHandler;
        _closed = closed;
        _input = PipeReader.Create(
            new NetworkStream(socket, ownsSocket: false),
            new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _sweep = new Timer(static state => ((RespConnection)state!).SweepTimeouts(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The server's address, for messages.</summary>
    public string EndPoint { get; }

    /// <summary>The protocol the handshake settled on: 3, or 2 after the fallback.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>Whether the connection can still take commands.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_writeLock)
            {
                return !_isClosed;
            }
        }
    }

    /// <summary>Operations still waiting for a reply (cancelled ones included).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Why the connection closed, once it has.</summary>
    public Exception? CloseReason => _closeReason;

    /// <summary>Opens a connection; <paramref name="closed"/> is called once when it closes.</summary>
    public static async Task<RespConnection> ConnectAsync(
        ServerEndPoint endPoint,
        IPushHandler? pushHandler,
        Action<RespConnection, Exception?>? closed,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var socket = endPoint.EndPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint.EndPoint, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new PlatformConnectionException($"Could not connect to {endPoint} within {timeout.TotalSeconds:0.###} s.", commandMayHaveRun: false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PlatformConnectionException($"Could not connect to {endPoint}: {e.Message}", commandMayHaveRun: false, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new RespConnection(socket, endPoint.ToString(), pushHandler, closed);
        connection.Start();
        return connection;
    }

    /// <summary>
    /// Writes a command and queues its operation (none for a command without a reply); false when
    /// the connection is closed, in which case nothing was written.
    /// </summary>
    public bool TryWrite(CommandBuilder command, Operation? operation)
    {
        bool send;
        bool inline;
        lock (_writeLock)
        {
            if (_isClosed)
            {
                return false;
            }

            command.WriteTo(_fill);
            _written += command.EncodedLength;
            if (operation is not null)
            {
                operation.EndOffset = _written;
                _pending.Enqueue(operation);
            }

            send = !_sending;
            _sending = true;
            // Alone on the connection (a caller awaiting each reply): send now, on this thread.
            // With other commands in flight, let more gather first: the send starts from the pool.
            inline = _pending.Count <= 1;
        }

        if (send)
        {
            if (inline)
            {
                _ = SendAsync();
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(static state => _ = ((RespConnection)state!).SendAsync(), this, preferLocal: false);
            }
        }

        return true;
    }

    /// <summary>Sends a command on this connection alone and awaits its reply.</summary>
    public ValueTask<T> ExecuteAsync<T>(CommandBuilder command, ReplyParser<T> parser, long deadline, CancellationToken cancellationToken)
    {
        var operation = new Operation<T>(command.Name, parser, deadline);
        bool written;
        var name = command.Name;
        try
        {
            written = TryWrite(command, operation);
        }
        finally
        {
            command.Return();
        }

        if (!written)
        {
            return ValueTask.FromException<T>(new PlatformConnectionException(
                $"The connection to {EndPoint} is closed ({_closeReason?.Message ?? "closed"}): {name} was not sent.", commandMayHaveRun: false, _closeReason));
        }

        operation.Register(cancellationToken);
        return operation.Task;
    }

    /// <summary>Closes the connection: waiting operations fail at once.</summary>
    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException(nameof(RespConnection), "The client was disposed."));
        await _readLoop.ConfigureAwait(false);
    }

    /// <summary>Closes the connection because of <paramref name="reason"/> (also used by tests to simulate a drop).</summary>
    public void Close(Exception? reason)
    {
        lock (_writeLock)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
            _closeReason = reason ?? new IOException("The server closed the connection.");
        }

        _sweep.Dispose();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _socket.Dispose();
        FailPending();
        _closed?.Invoke(this, _closeReason);
    }

    private void Start()
    {
        _readLoop = Task.Run(ReadLoopAsync);
        _sweep.Change(SweepPeriod, SweepPeriod);
    }

    private void FailPending()
    {
        var sent = Interlocked.Read(ref _sent);
        var reason = _closeReason?.Message ?? "closed";
        while (_pending.TryDequeue(out var operation))
        {
            if (operation.IsCompleted)
            {
                continue;
            }

            var mayHaveRun = operation.EndOffset <= sent;
            var message = mayHaveRun
                ? $"The connection to {EndPoint} was lost ({reason}) before the reply to {operation.Command} arrived: the command was sent and may have run."
                : $"The connection to {EndPoint} was lost ({reason}) before {operation.Command} was sent: it did not run.";
            operation.TryFail(new PlatformConnectionException(message, mayHaveRun, _closeReason));
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (!buffer.IsEmpty && _scanner.TryScan(buffer, out var length))
                    {
                        Dispatch(buffer.Slice(0, length));
                        buffer = buffer.Slice(length);
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    error = new IOException("the server closed the connection");
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e is ObjectDisposedException or SocketException or IOException or PlatformProtocolException
                ? e
                : new PlatformProtocolException($"Reading from {EndPoint} failed: {e.Message}", e);
        }

        await _input.CompleteAsync().ConfigureAwait(false);
        Close(error);
    }

    private void Dispatch(in ReadOnlySequence<byte> frame)
    {
        if (frame.IsSingleSegment)
        {
            Dispatch(frame.FirstSpan);
            return;
        }

        // The frame spans pipe segments: copy it once into one buffer to read it.
        var length = (int)frame.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            frame.CopyTo(rented);
            Dispatch(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        var reader = new RespReader(frame);
        var type = reader.PeekType();
        if (_pushHandler is not null && _pushHandler.TryHandle(ref reader))
        {
            return;
        }

        if (type == (byte)'>' && _pushHandler is null)
        {
            // A push on a command connection (client tracking, say) is not a reply: nothing waits for it.
            return;
        }

        if (!_pending.TryDequeue(out var operation))
        {
            if (type == (byte)'>')
            {
                // An unsolicited push on the subscription connection: not a reply either.
                return;
            }

            throw new PlatformProtocolException($"{EndPoint} sent a reply no command was waiting for.");
        }

        operation.Complete(ref reader);
    }

    // Sends what has accumulated, batch after batch, until nothing is left. When started inline by
    // a writer, the first batch goes out on its thread and later batches (written meanwhile by
    // others) go out from the thread pool, so no caller is kept sending for everyone else.
    private async Task SendAsync()
    {
        var first = true;
        try
        {
            while (true)
            {
                OutputBuffer batch;
                lock (_writeLock)
                {
                    if (_isClosed || _fill.Length == 0)
                    {
                        _sending = false;
                        return;
                    }

                    batch = _fill;
                    _fill = _spare;
                    _spare = batch;
                }

                var memory = batch.WrittenMemory;
                var length = memory.Length;
                while (!memory.IsEmpty)
                {
                    memory = memory[await _socket.SendAsync(memory, SocketFlags.None).ConfigureAwait(false)..];
                }

                Interlocked.Add(ref _sent, length);
                batch.Reset();
                if (first)
                {
                    first = false;
                    lock (_writeLock)
                    {
                        if (_isClosed || _fill.Length == 0)
                        {
                            _sending = false;
                            return;
                        }
                    }

                    await Task.Yield();
                }
            }
        }
        catch (Exception e)
        {
            Close(e);
        }
    }

    private void SweepTimeouts()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var now = Environment.TickCount64;
        foreach (var operation in _pending)
        {
            if (operation.Deadline != 0 && now > operation.Deadline && !operation.IsCompleted)
            {
                operation.TryFail(new PlatformTimeoutException(
                    $"No reply to {operation.Command} from {EndPoint} within the timeout; the command may still run. The connection stays open."));
            }
        }
    }
}
