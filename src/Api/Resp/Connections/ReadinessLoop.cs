using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using Platform.Silo.Storage;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// Tells sessions when their sockets have bytes to read, from one epoll instance and one thread,
/// as Redis's event loop does (Linux on x64). A session reads only once told, so a request costs
/// one read; waiting with a zero-byte receive cost a read that found nothing, then the read of the
/// request, and the runtime's bookkeeping of both. What a session does once told runs on this
/// thread, as with the runtime's inline socket completions.
/// </summary>
internal static class ReadinessLoop
{
    private const int EpollIn = 0x001;
    private const int EpollRdHup = 0x2000;
    private const uint EpollEt = 1u << 31;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int Interrupted = 4; // EINTR

    private static readonly Lazy<int> Instance = new(Start);
    private static readonly ConcurrentDictionary<ulong, Readiness> Registered = new();
    private static long _nextId;

    /// <summary>
    /// The environment variable that, set to 0, turns the loop off (sessions then wait with a
    /// zero-byte receive): a way out should a kernel misbehave, and how the tests run the other path.
    /// </summary>
    public const string Switch = "PLATFORM_RESP_EPOLL";

    /// <summary>Whether this machine has the loop and it is not switched off.</summary>
    public static bool IsSupported { get; } =
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && Environment.GetEnvironmentVariable(Switch) != "0";

    /// <summary>
    /// Watches <paramref name="socket"/> (non-blocking) until the returned readiness is disposed;
    /// null where the loop is not supported or the kernel refuses (the session then waits with a
    /// zero-byte receive).
    /// </summary>
    public static Readiness? TryRegister(Socket socket)
    {
        if (!IsSupported || Instance.Value < 0)
        {
            return null;
        }

        var readiness = new Readiness((ulong)Interlocked.Increment(ref _nextId), (int)socket.Handle);
        Registered[readiness.Id] = readiness;
        var change = new EpollEvent { Events = EpollIn | EpollRdHup | EpollEt, Data = readiness.Id };
        if (epoll_ctl(Instance.Value, EpollCtlAdd, readiness.Fd, ref change) != 0)
        {
            Registered.TryRemove(readiness.Id, out _);
            return null;
        }

        return readiness;
    }

    // The epoll instance, -1 when the kernel gave none.
    private static int Start()
    {
        var epoll = epoll_create1(0);
        if (epoll >= 0)
        {
            new Thread(() => Run(epoll)) { IsBackground = true, Name = "RESP readiness" }.Start();
        }

        return epoll;
    }

    private static void Run(int epoll)
    {
        var events = new EpollEvent[256];
        LoopCommits.Join();
        while (true)
        {
            // Under appendfsync always, what this pass's commands changed is committed before the
            // loop waits, as Redis does in beforeSleep; replies sent on commit may have run
            // pipelined commands that changed more, so then the loop only looks for work.
            var timeout = LoopCommits.CommitDeferred() ? 0 : -1;
            var count = epoll_wait(epoll, events, events.Length, timeout);
            if (count < 0)
            {
                // Only EINTR can happen to a valid instance and buffer.
                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    Environment.FailFast($"epoll_wait failed: {Marshal.GetLastPInvokeError()}");
                }

                continue;
            }

            for (var i = 0; i < count; i++)
            {
                // An event of a socket already let go is dropped.
                if (Registered.TryGetValue(events[i].Data, out var readiness))
                {
                    readiness.Signal();
                }
            }
        }
    }

    private static void Unregister(Readiness readiness)
    {
        if (Registered.TryRemove(readiness.Id, out _))
        {
            var change = default(EpollEvent);
            _ = epoll_ctl(Instance.Value, EpollCtlDel, readiness.Fd, ref change);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_create1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_ctl(int epfd, int op, int fd, ref EpollEvent change);

    [DllImport("libc", SetLastError = true)]
    private static extern int epoll_wait(int epfd, [Out] EpollEvent[] events, int maxEvents, int timeout);

    // struct epoll_event is packed on x64.
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>
    /// One socket's readiness: edge-triggered, so an edge that comes while nobody waits is kept
    /// for the next wait.
    /// </summary>
    internal sealed class Readiness : IValueTaskSource, IDisposable
    {
        private const int Idle = 0;
        private const int Ready = 1;
        private const int Waiting = 2;

        private ManualResetValueTaskSourceCore<bool> _core;
        private int _state = Ready; // a socket may have bytes before it is watched

        public Readiness(ulong id, int fd)
        {
            Id = id;
            Fd = fd;
        }

        public ulong Id { get; }

        public int Fd { get; }

        /// <summary>Completes once the socket may have bytes (or has hung up) since the last wait.</summary>
        public ValueTask WaitAsync()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Ready) == Ready)
            {
                return ValueTask.CompletedTask;
            }

            _core.Reset();
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
            {
                // An edge came in between: it is this wait's.
                Volatile.Write(ref _state, Idle);
                return ValueTask.CompletedTask;
            }

            return new ValueTask(this, _core.Version);
        }

        public void Dispose() => Unregister(this);

        internal void Signal()
        {
            while (true)
            {
                switch (Volatile.Read(ref _state))
                {
                    case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                        _core.SetResult(true);
                        return;
                    case Idle when Interlocked.CompareExchange(ref _state, Ready, Idle) == Idle:
                    case Ready:
                        return;
                }
            }
        }

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
