using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using Platform.Silo.Storage;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// Tells sessions when their sockets have bytes to read, from one epoll instance and one thread,
/// as Redis's event loop does (Linux on x64). A session reads only once told, so a request costs
/// one read; waiting with a zero-byte receive cost a read that found nothing, then the read of the
/// request, and the runtime's bookkeeping of both. What a session does once told runs on this
/// thread, as with the runtime's inline socket completions; so does what is handed to it with
/// <see cref="OnLoop{T}"/> and <see cref="ToLoop"/>, after the pass that handed it over: a session
/// whose command waited for a grain or a commit comes back here to read its next requests.
/// </summary>
internal static class ReadinessLoop
{
    private const int EpollIn = 0x001;
    private const int EpollErr = 0x008;
    private const int EpollHup = 0x010;
    private const int EpollRdHup = 0x2000;
    private const uint EpollEt = 1u << 31;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int Interrupted = 4; // EINTR
    private const int EventFdNonBlocking = 0x800; // EFD_NONBLOCK
    private const int EventFdCloseOnExec = 0x80000; // EFD_CLOEXEC

    // The peer hung up or the socket failed: sticky, whatever else the event says.
    private const uint HangUpEvents = EpollRdHup | EpollHup | EpollErr;

    // The loop's own wake-up (an eventfd) in the epoll instance; sockets' ids start at 1.
    private const ulong WakeId = 0;

    private static readonly Lazy<int> Instance = new(Start);
    private static readonly ConcurrentDictionary<ulong, Readiness> Registered = new();
    private static readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> Posted = new();
    private static readonly SynchronizationContext PostToLoop = new LoopContext();
    private static long _nextId;
    private static int _wakeFd = -1;

    // Set by the first post from another thread since the loop last woke for posts: later ones need no wake-up.
    private static int _wakePending;

    [ThreadStatic]
    private static bool _onLoopThread;

    /// <summary>
    /// The environment variable that, set to 0, turns the loop off (sessions then wait with a
    /// zero-byte receive): a way out should a kernel misbehave, and how the tests run the other path.
    /// </summary>
    public const string Switch = "PLATFORM_RESP_EPOLL";

    /// <summary>Whether the calling thread is the loop's.</summary>
    public static bool IsLoopThread => _onLoopThread;

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

    /// <summary>
    /// Awaits <paramref name="task"/> and goes on on the loop's thread, where the sessions it watches
    /// run: after the pass in which the task completed, if it completed there (a blocked reader
    /// served by another session's XADD, as Redis serves blocked clients after the command), else
    /// once the loop wakes. A session that went on where the task completed ran its next commands
    /// on a thread-pool thread, beside the loop's, and the grains both called then queued their
    /// calls for the thread pool: with four consumers blocking on one stream, most calls did.
    /// </summary>
    /// <remarks>Only for sessions the loop watches, after <see cref="TryRegister"/> gave a readiness.</remarks>
    public static LoopAwaitable<T> OnLoop<T>(Task<T> task) => new(task);

    /// <summary>
    /// Goes on on the loop's thread: at once when already there, else once the loop has run
    /// what was handed to it before. A session that went on on a grain's thread-pool thread (its
    /// call was queued behind a turn) or a commit's ran its next commands beside the loop; the
    /// grains both called then queued more calls, so more sessions drifted, and with two cores
    /// the server took the core the clients needed.
    /// </summary>
    /// <remarks>Goes on at once where the loop does not run (not supported, or switched off).</remarks>
    public static LoopYield ToLoop() => default;

    // The epoll instance, -1 when the kernel gave none (or no eventfd to wake it with).
    private static int Start()
    {
        var epoll = epoll_create1(0);
        if (epoll < 0)
        {
            return epoll;
        }

        _wakeFd = eventfd(0, EventFdNonBlocking | EventFdCloseOnExec);
        var wake = new EpollEvent { Events = EpollIn, Data = WakeId };
        if (_wakeFd < 0 || epoll_ctl(epoll, EpollCtlAdd, _wakeFd, ref wake) != 0)
        {
            if (_wakeFd >= 0)
            {
                _ = close(_wakeFd);
            }

            _ = close(epoll);
            return -1;
        }

        new Thread(() => Run(epoll)) { IsBackground = true, Name = "RESP readiness" }.Start();
        return epoll;
    }

    private static void Run(int epoll)
    {
        var events = new EpollEvent[256];
        _onLoopThread = true;
        LoopCommits.Join();
        while (true)
        {
            RunPosted();

            // Under appendfsync always, what this pass's commands changed waits while the sockets
            // that are ready by now are served too, within a limit (LoopCommits.MayGather).
            int count;
            if (LoopCommits.MayGather && (count = epoll_wait(epoll, events, events.Length, 0)) > 0)
            {
                Dispatch(events, count);
                continue;
            }

            // Then it is committed before the loop waits, as Redis does in beforeSleep; replies
            // sent on commit may have run pipelined commands that changed more, or handed work to
            // the loop, so then the loop only looks for work.
            var timeout = LoopCommits.CommitDeferred() || !Posted.IsEmpty ? 0 : -1;
            count = epoll_wait(epoll, events, events.Length, timeout);
            if (count < 0)
            {
                // Only EINTR can happen to a valid instance and buffer.
                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    Environment.FailFast($"epoll_wait failed: {Marshal.GetLastPInvokeError()}");
                }

                continue;
            }

            Dispatch(events, count);
        }
    }

    private static void Dispatch(EpollEvent[] events, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (events[i].Data == WakeId)
            {
                // Reset before the posts are run: a post from now on wakes the loop again.
                _ = read(_wakeFd, out _, sizeof(ulong));
                Volatile.Write(ref _wakePending, 0);
            }
            else if (Registered.TryGetValue(events[i].Data, out var readiness))
            {
                // An event of a socket already let go is dropped.
                readiness.Signal(events[i].Events);
            }
        }
    }

    // What was handed to the loop before this pass: what it hands over in turn, and what other
    // threads hand over meanwhile, waits for the next pass, so that sockets and commits do not.
    private static void RunPosted()
    {
        for (var count = Posted.Count; count > 0 && Posted.TryDequeue(out var work); count--)
        {
            work.Callback(work.State);
        }
    }

    private static void Post(SendOrPostCallback callback, object? state)
    {
        Posted.Enqueue((callback, state));
        if (!_onLoopThread && Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            _ = write(_wakeFd, ref one, sizeof(ulong));
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

    [DllImport("libc", SetLastError = true)]
    private static extern int eventfd(uint initval, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, out ulong value, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref ulong value, nint count);

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
        private int _hungUp;
        private Action? _onHangUp;

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

        /// <summary>
        /// Calls <paramref name="onHangUp"/> once the peer hangs up or the socket fails, at once if
        /// it has already, unless <see cref="Unwatch"/> comes first: a blocked command's way to learn
        /// that its client left, which a session that is not reading cannot see otherwise.
        /// </summary>
        public void WatchHangUp(Action onHangUp)
        {
            Interlocked.Exchange(ref _onHangUp, onHangUp);
            if (Volatile.Read(ref _hungUp) != 0)
            {
                Interlocked.Exchange(ref _onHangUp, null)?.Invoke();
            }
        }

        /// <summary>Stops the watch <see cref="WatchHangUp"/> started.</summary>
        public void Unwatch() => Volatile.Write(ref _onHangUp, null);

        internal void Signal(uint events)
        {
            if ((events & HangUpEvents) != 0)
            {
                Interlocked.Exchange(ref _hungUp, 1);
                Interlocked.Exchange(ref _onHangUp, null)?.Invoke();
            }

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

    /// <summary>What <see cref="OnLoop{T}"/> gives: awaiting it goes on on the loop's thread.</summary>
    internal readonly struct LoopAwaitable<T>(Task<T> task) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => task.IsCompleted;

        public LoopAwaitable<T> GetAwaiter() => this;

        public T GetResult() => task.GetAwaiter().GetResult();

        public void OnCompleted(Action continuation) => Register(continuation, flowContext: true);

        public void UnsafeOnCompleted(Action continuation) => Register(continuation, flowContext: false);

        // A task's awaiter posts its continuation to the synchronization context current when it
        // is registered, straight from the thread that completes the task.
        private void Register(Action continuation, bool flowContext)
        {
            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(PostToLoop);
            try
            {
                if (flowContext)
                {
                    task.GetAwaiter().OnCompleted(continuation);
                }
                else
                {
                    task.GetAwaiter().UnsafeOnCompleted(continuation);
                }
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previous);
            }
        }
    }

    /// <summary>What <see cref="ToLoop"/> gives: awaiting it goes on on the loop's thread.</summary>
    internal readonly struct LoopYield : ICriticalNotifyCompletion
    {
        private static readonly SendOrPostCallback RunContinuation = static state => ((Action)state!)();

        public bool IsCompleted => _onLoopThread || Volatile.Read(ref _wakeFd) < 0;

        public LoopYield GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation)
        {
            var context = ExecutionContext.Capture();
            Post(context is null ? RunContinuation : state => ExecutionContext.Run(context, static c => ((Action)c!)(), state), continuation);
        }

        public void UnsafeOnCompleted(Action continuation) => Post(RunContinuation, continuation);
    }

    private sealed class LoopContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => ReadinessLoop.Post(d, state);

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

        public override SynchronizationContext CreateCopy() => this;
    }
}
