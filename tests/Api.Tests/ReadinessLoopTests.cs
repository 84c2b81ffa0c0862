using System.Net;
using System.Net.Sockets;
using Platform.Api.Resp.Connections;

namespace Platform.Api.Tests;

/// <summary>
/// The RESP port's epoll loop on a real loopback connection: a wait completes once bytes arrive
/// (or the peer hangs up), an edge that comes while nobody waits is kept for the next wait, and
/// one edge completes one wait only. A hang-up is told to whoever watches for it, then or later.
/// What is awaited through the loop goes on on its thread, after the pass that completed it.
/// </summary>
public sealed class ReadinessLoopTests : IDisposable
{
    // How long a wait that must complete may take (never a measure of anything), and how long one
    // that must not is watched.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(200);

    private const string LoopThread = "RESP readiness";

    private readonly Socket _client;
    private readonly Socket _server;

    public ReadinessLoopTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
        _server.Blocking = false;
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task A_wait_completes_when_bytes_arrive_and_the_next_waits_for_more()
    {
        using var readiness = Register();
        await readiness.WaitAsync().AsTask().WaitAsync(Patience); // a new socket counts as ready

        var wait = readiness.WaitAsync().AsTask();
        await Task.Delay(Watch);
        Assert.False(wait.IsCompleted, "nothing was sent");

        _client.Send("a"u8);
        await wait.WaitAsync(Patience);
        Assert.Equal(1, Drain());

        var next = readiness.WaitAsync().AsTask();
        await Task.Delay(Watch);
        Assert.False(next.IsCompleted, "the edge was the last wait's");
        _client.Send("b"u8);
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task Bytes_that_arrive_while_nobody_waits_complete_the_next_wait_at_once()
    {
        using var readiness = Register();
        await readiness.WaitAsync().AsTask().WaitAsync(Patience);

        _client.Send("abc"u8);
        await Task.Delay(Watch); // the loop sees the edge with no one waiting

        Assert.True(readiness.WaitAsync().IsCompleted);
        Assert.Equal(3, Drain());
    }

    [Fact]
    public async Task A_hang_up_completes_the_wait()
    {
        using var readiness = Register();
        await readiness.WaitAsync().AsTask().WaitAsync(Patience);
        var wait = readiness.WaitAsync().AsTask();

        _client.Shutdown(SocketShutdown.Send);
        await wait.WaitAsync(Patience);
        Assert.Equal(0, _server.Receive(new byte[16]));
    }

    [Fact]
    public async Task A_hang_up_is_told_to_its_watch_and_at_once_to_a_later_one()
    {
        using var readiness = Register();
        var told = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        readiness.WatchHangUp(() => told.TrySetResult(Thread.CurrentThread.Name));
        await Task.Delay(Watch);
        Assert.False(told.Task.IsCompleted, "the peer is still there");

        _client.Shutdown(SocketShutdown.Send);
        Assert.Equal(LoopThread, await told.Task.WaitAsync(Patience));

        var later = false;
        readiness.WatchHangUp(() => later = true);
        Assert.True(later, "the hang-up came before the watch");
    }

    [Fact]
    public async Task A_hang_up_after_the_watch_ended_is_told_to_nobody()
    {
        using var readiness = Register();
        await readiness.WaitAsync().AsTask().WaitAsync(Patience);
        var told = false;
        readiness.WatchHangUp(() => told = true);
        readiness.Unwatch();

        _client.Shutdown(SocketShutdown.Send);
        await readiness.WaitAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(0, _server.Receive(new byte[16]));
        Assert.False(told);
    }

    [Fact]
    public async Task A_task_completed_on_another_thread_goes_on_on_the_loop()
    {
        using var readiness = Register();
        var completed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumed = ResumeAsync(completed.Task);

        await Task.Run(() => completed.SetResult(1));
        Assert.Equal((1, LoopThread), await resumed.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_task_completed_on_the_loop_goes_on_after_the_completing_code_returns()
    {
        using var readiness = Register();
        await readiness.WaitAsync().AsTask().WaitAsync(Patience);
        var completed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        var resumed = RecordAsync();

        var completing = CompleteOnLoopAsync(readiness, completed, order);
        _client.Send("a"u8);
        await completing.WaitAsync(Patience);
        await resumed.WaitAsync(Patience);
        Assert.Equal(["completed on " + LoopThread, "resumed on " + LoopThread], order);

        async Task RecordAsync()
        {
            await ReadinessLoop.OnLoop(completed.Task);
            lock (order)
            {
                order.Add("resumed on " + Thread.CurrentThread.Name);
            }
        }
    }

    [Fact]
    public async Task Going_to_the_loop_from_another_thread_goes_on_there_and_on_the_loop_at_once()
    {
        using var readiness = Register();
        var (first, second, inlineOnLoop, flowed) = await Task.Run(HopAsync).WaitAsync(Patience);
        Assert.Equal((LoopThread, LoopThread, true, "flowed"), (first, second, inlineOnLoop, flowed));

        static async Task<(string? First, string? Second, bool InlineOnLoop, string? Flowed)> HopAsync()
        {
            var local = new AsyncLocal<string> { Value = "flowed" };
            await ReadinessLoop.ToLoop();
            var first = Thread.CurrentThread.Name;
            var inlineOnLoop = ReadinessLoop.ToLoop().IsCompleted;
            await ReadinessLoop.ToLoop();
            return (first, Thread.CurrentThread.Name, inlineOnLoop, local.Value);
        }
    }

    // Completes the task on the loop's thread, where the readiness's next wait goes on inline.
    private static async Task CompleteOnLoopAsync(ReadinessLoop.Readiness readiness, TaskCompletionSource<int> completed, List<string> order)
    {
        await readiness.WaitAsync().ConfigureAwait(false);
        completed.SetResult(2);
        lock (order)
        {
            order.Add("completed on " + Thread.CurrentThread.Name);
        }
    }

    private static async Task<(int Value, string? Thread)> ResumeAsync(Task<int> task)
    {
        var value = await ReadinessLoop.OnLoop(task);
        return (value, Thread.CurrentThread.Name);
    }

    private ReadinessLoop.Readiness Register()
    {
        Assert.True(ReadinessLoop.IsSupported, "the loop runs on Linux x64 (as CI does) unless PLATFORM_RESP_EPOLL=0");
        return Assert.IsType<ReadinessLoop.Readiness>(ReadinessLoop.TryRegister(_server));
    }

    private int Drain()
    {
        var buffer = new byte[64];
        return _server.Receive(buffer);
    }
}
