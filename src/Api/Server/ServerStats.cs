using Platform.Api.Resp.Connections;

namespace Platform.Api.Server;

/// <summary>The server-wide figures of INFO stats; updated from every connection without contention.</summary>
internal sealed class ServerStats
{
    private const int Commands = 0;
    private const int NetInput = 1;
    private const int NetOutput = 2;
    private const int Reads = 3;
    private const int Writes = 4;
    private const int ErrorReplies = 5;
    private const int ConnectionsReceived = 6;
    private const int RejectedConnections = 7;

    // Reads and writes made off the event loop's thread, striped apart from the eight above (a
    // stripe holds eight): pushes and sessions the loop does not watch come from many threads.
    private const int ThreadedReadsCounter = 0;
    private const int ThreadedWritesCounter = 1;

    private readonly StripedCounters _counters = new(8);
    private readonly StripedCounters _offLoop = new(2);
    private long _aclDeniedAuth;
    private long _outputBufferLimitDisconnections;
    private long _memoryPeak;

    /// <summary>Per error code, for INFO errorstats.</summary>
    public ErrorStats Errors { get; } = new();

    /// <summary>A command executed (total_commands_processed).</summary>
    public void CommandProcessed() => _counters.Add(Commands, 1);

    /// <summary>Bytes received in one read.</summary>
    public void BytesRead(long bytes)
    {
        _counters.Add(NetInput, bytes);
        _counters.Add(Reads, 1);
        if (!ReadinessLoop.IsLoopThread)
        {
            _offLoop.Add(ThreadedReadsCounter, 1);
        }
    }

    /// <summary>Bytes handed to a socket in one write.</summary>
    public void BytesWritten(long bytes)
    {
        _counters.Add(NetOutput, bytes);
        _counters.Add(Writes, 1);
        if (!ReadinessLoop.IsLoopThread)
        {
            _offLoop.Add(ThreadedWritesCounter, 1);
        }
    }

    /// <summary>An error reply of any kind.</summary>
    public void ErrorReply(ReadOnlySpan<byte> text)
    {
        _counters.Add(ErrorReplies, 1);
        Errors.Record(text);
    }

    /// <summary>A connection accepted.</summary>
    public void ConnectionReceived() => _counters.Add(ConnectionsReceived, 1);

    /// <summary>A connection refused (maxclients).</summary>
    public void ConnectionRejected() => _counters.Add(RejectedConnections, 1);

    /// <summary>A client closed for its output buffer.</summary>
    public void OutputBufferLimitDisconnection() => Interlocked.Increment(ref _outputBufferLimitDisconnections);

    /// <summary>client_output_buffer_limit_disconnections.</summary>
    public long OutputBufferLimitDisconnections => Interlocked.Read(ref _outputBufferLimitDisconnections);

    /// <summary>A failed AUTH or HELLO AUTH.</summary>
    public void AuthDenied() => Interlocked.Increment(ref _aclDeniedAuth);

    /// <summary>total_commands_processed.</summary>
    public long TotalCommands => _counters.Read(Commands);

    /// <summary>total_net_input_bytes.</summary>
    public long TotalNetInputBytes => _counters.Read(NetInput);

    /// <summary>total_net_output_bytes.</summary>
    public long TotalNetOutputBytes => _counters.Read(NetOutput);

    /// <summary>total_reads_processed.</summary>
    public long TotalReads => _counters.Read(Reads);

    /// <summary>total_writes_processed.</summary>
    public long TotalWrites => _counters.Read(Writes);

    /// <summary>
    /// io_threaded_reads_processed: reads made off the event loop's thread. Redis counts its I/O
    /// threads' reads; here they are the reads of sessions the loop does not watch (all of them
    /// with PLATFORM_RESP_EPOLL=0), so with the loop on it stays 0.
    /// </summary>
    public long ThreadedReads => _offLoop.Read(ThreadedReadsCounter);

    /// <summary>
    /// io_threaded_writes_processed: writes made off the event loop's thread. Redis counts its I/O
    /// threads' writes; here they are Pub/Sub and keyspace-event pushes (sent by a thread-pool
    /// writer), what was queued behind a send the socket did not take at once, and every write
    /// of sessions the loop does not watch.
    /// </summary>
    public long ThreadedWrites => _offLoop.Read(ThreadedWritesCounter);

    /// <summary>total_error_replies.</summary>
    public long TotalErrorReplies => _counters.Read(ErrorReplies);

    /// <summary>total_connections_received.</summary>
    public long TotalConnectionsReceived => _counters.Read(ConnectionsReceived);

    /// <summary>rejected_connections.</summary>
    public long RejectedConnectionsCount => _counters.Read(RejectedConnections);

    /// <summary>acl_access_denied_auth.</summary>
    public long AclAccessDeniedAuth => Interlocked.Read(ref _aclDeniedAuth);

    /// <summary>instantaneous_ops_per_sec.</summary>
    public InstantaneousMetric OpsPerSecond { get; } = new();

    /// <summary>instantaneous_input_kbps (bytes per second here; INFO divides).</summary>
    public InstantaneousMetric InputBytesPerSecond { get; } = new();

    /// <summary>instantaneous_output_kbps (bytes per second here; INFO divides).</summary>
    public InstantaneousMetric OutputBytesPerSecond { get; } = new();

    /// <summary>CONFIG RESETSTAT: what Redis's resetServerStats zeroes.</summary>
    public void Reset()
    {
        _counters.Reset();
        Interlocked.Exchange(ref _aclDeniedAuth, 0);
        _offLoop.Reset();
        Interlocked.Exchange(ref _outputBufferLimitDisconnections, 0);
        Volatile.Write(ref _memoryPeak, 0);
        Errors.Reset();
        OpsPerSecond.Reset();
        InputBytesPerSecond.Reset();
        OutputBytesPerSecond.Reset();
    }

    /// <summary>The highest used_memory seen (INFO's used_memory_peak).</summary>
    public long MemoryPeak => Math.Max(Volatile.Read(ref _memoryPeak), GC.GetTotalMemory(false));

    /// <summary>Samples the instantaneous rates and the memory peak (the server cron, every 100 ms).</summary>
    public void Sample(long timestampMilliseconds)
    {
        var used = GC.GetTotalMemory(false);
        if (used > Volatile.Read(ref _memoryPeak))
        {
            Volatile.Write(ref _memoryPeak, used);
        }

        OpsPerSecond.Sample(timestampMilliseconds, TotalCommands);
        InputBytesPerSecond.Sample(timestampMilliseconds, TotalNetInputBytes);
        OutputBytesPerSecond.Sample(timestampMilliseconds, TotalNetOutputBytes);
    }
}
