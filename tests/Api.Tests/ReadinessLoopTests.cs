using System.Net;
using System.Net.Sockets;
using Platform.Api.Resp.Connections;

namespace Platform.Api.Tests;

/// <summary>
/// The RESP port's epoll loop on a real loopback connection: a wait completes once bytes arrive
/// (or the peer hangs up), an edge that comes while nobody waits is kept for the next wait, and
/// one edge completes one wait only.
/// </summary>
public sealed class ReadinessLoopTests : IDisposable
{
    // How long a wait that must complete may take (never a measure of anything), and how long one
    // that must not is watched.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(200);

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
