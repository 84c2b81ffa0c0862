using System.Diagnostics;

namespace Platform.Bench.FanOut;

/// <summary>
/// A dedicated thread that reads many subscribers: it waits on one epoll set (level-triggered)
/// and makes one non-blocking recv per ready socket per wake-up, into one buffer of its own.
/// No task, no thread-pool hop and no allocation per read, so that the generator's cost per
/// read stays small beside the server's and the measurement is of the server.
/// </summary>
internal sealed class EpollReader
{
    private const int MaxEvents = 256;
    private readonly List<Subscriber> _subscribers;
    private readonly long _measureFrom;
    private readonly int _epoll;
    private readonly Thread _thread;
    private volatile bool _stop;

    public EpollReader(List<Subscriber> subscribers, long measureFrom, int index)
    {
        _subscribers = subscribers;
        _measureFrom = measureFrom;
        _epoll = Native.epoll_create1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        for (var i = 0; i < subscribers.Count; i++)
        {
            var registration = new Native.EpollEvent { Events = Native.EpollIn | Native.EpollRdHup, Data = (ulong)i };
            if (Native.epoll_ctl(_epoll, Native.EpollCtlAdd, (int)subscribers[i].Socket.Handle, ref registration) != 0)
            {
                throw new InvalidOperationException($"epoll_ctl failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"epoll reader {index}" };
    }

    public LatencyHistogram Latency { get; } = new();

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join();
        Native.close(_epoll);
    }

    private unsafe void Run()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(1024 * 1024, pinned: true);
        var events = stackalloc Native.EpollEvent[MaxEvents];
        fixed (byte* start = buffer)
        {
            while (!_stop)
            {
                var ready = Native.epoll_wait(_epoll, events, MaxEvents, 100);
                if (ready <= 0)
                {
                    continue;
                }

                var now = Stopwatch.GetTimestamp();
                for (var e = 0; e < ready; e++)
                {
                    var subscriber = _subscribers[(int)events[e].Data];
                    if (subscriber.Closed)
                    {
                        continue;
                    }

                    var kept = subscriber.CopyPartialTo(buffer);
                    var read = Native.recv((int)subscriber.Socket.Handle, start + kept, buffer.Length - kept, Native.MsgDontWait);
                    if (read > 0)
                    {
                        subscriber.Consume(buffer.AsSpan(0, kept + (int)read), now, _measureFrom, Latency);
                    }
                    else if (read == 0 || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is not Native.EAgain and not Native.EIntr)
                    {
                        // Closed by the server: out of the set, or level-triggered epoll reports it forever.
                        subscriber.Closed = true;
                        var none = default(Native.EpollEvent);
                        Native.epoll_ctl(_epoll, Native.EpollCtlDel, (int)subscriber.Socket.Handle, ref none);
                    }
                }
            }
        }
    }
}
