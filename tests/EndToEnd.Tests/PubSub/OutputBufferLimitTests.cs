using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// client-output-buffer-limit for Pub/Sub clients: a subscriber that never reads is disconnected
/// past the hard limit, or past the soft limit for longer than its seconds, while subscribers that
/// read get every message in order and the publisher's replies keep coming. Each test runs on
/// ours and, as a check of the test itself, on redis-server (which has no INFO field
/// client_output_buffer_limit_disconnections: that part is ours only).
/// </summary>
public sealed class OutputBufferLimitTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string DefaultLimits = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_subscriber_that_never_reads_is_disconnected_past_the_hard_limit_and_nobody_else_waits(string name) => fixture.RunAsync(async () =>
    {
        var server = Server(name);
        const string Channel = "slow-hard";
        const int Size = 32 * 1024;
        await using var admin = await server.ConnectAsync();
        Assert.Equal("+OK\r\n", await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 5"));
        try
        {
            var disconnectionsBefore = name == "ours" ? InfoField(await admin.SendAndReadAsync("INFO", "stats"), "client_output_buffer_limit_disconnections") : 0;
            using var slow = await SlowSubscriberAsync(server.Port, Channel);
            var readers = new List<Reader>();
            for (var i = 0; i < 10; i++)
            {
                readers.Add(await Reader.StartAsync(server, Channel, Size));
            }

            await using var publisher = await server.ConnectAsync();
            var counts = new List<long>();
            var latencies = new List<double>();
            var afterDisconnection = 0;
            for (var i = 0; i < 3000 && afterDisconnection < 20; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await publisher.SendAndReadAsync("PUBLISH", Channel, Reader.Payload(i, Size));
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                counts.Add(long.Parse(reply[1..^2], CultureInfo.InvariantCulture));
                if (counts[^1] == 10)
                {
                    afterDisconnection++;
                }
            }

            var published = counts.Count;
            var summary = $"{published} published; receiver counts {string.Join(",", counts.Distinct())}; publish latency max {latencies.Max():F0} ms, median {latencies.Order().ElementAt(latencies.Count / 2):F1} ms";
            Assert.True(counts[0] == 11, summary);
            Assert.True(counts[^1] == 10, $"the slow subscriber was never disconnected: {summary}");
            Assert.True(counts.SkipWhile(c => c == 11).All(c => c == 10), summary);

            // The slow subscriber's socket is closed: what the kernel holds, then the end.
            var (closed, bytes) = await DrainUntilClosedAsync(slow, TimeSpan.FromSeconds(30));
            Assert.True(closed, $"the slow subscriber's socket is still open after {bytes} bytes: {summary}");
            Assert.True(bytes < (long)published * Size, $"the slow subscriber got {bytes} bytes, everything: {summary}");

            // The readers got everything, in order; the publisher never waited on the slow one.
            foreach (var reader in readers)
            {
                await reader.WaitForAsync(published, TimeSpan.FromSeconds(60));
                await reader.DisposeAsync();
            }

            Assert.True(latencies.Max() < 2000, $"a PUBLISH took long: {summary}");

            var clients = await admin.SendAndReadAsync("CLIENT", "LIST");
            Assert.DoesNotContain($"id={slow.Id} ", clients, StringComparison.Ordinal);
            if (name == "ours")
            {
                var disconnections = InfoField(await admin.SendAndReadAsync("INFO", "stats"), "client_output_buffer_limit_disconnections");
                Assert.Equal(disconnectionsBefore + 1, disconnections);
            }
        }
        finally
        {
            await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", DefaultLimits);
        }
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_subscriber_over_the_soft_limit_for_longer_than_its_seconds_is_disconnected(string name) => fixture.RunAsync(async () =>
    {
        var server = Server(name);
        const string Channel = "slow-soft";
        const int Size = 16 * 1024;
        await using var admin = await server.ConnectAsync();
        Assert.Equal("+OK\r\n", await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 1"));
        try
        {
            using var slow = await SlowSubscriberAsync(server.Port, Channel);
            var reader = await Reader.StartAsync(server, Channel, Size);
            await using var publisher = await server.ConnectAsync();
            var clock = Stopwatch.StartNew();
            double? overSoftAt = null;
            double? disconnectedAt = null;
            var published = 0;
            var trace = new List<string>();
            while (disconnectedAt is null && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                var reply = await publisher.SendAndReadAsync("PUBLISH", Channel, Reader.Payload(published, Size));
                published++;
                if (reply == ":1\r\n")
                {
                    disconnectedAt = clock.Elapsed.TotalSeconds;
                    break;
                }

                if (overSoftAt is null)
                {
                    var omem = ClientField(await admin.SendAndReadAsync("CLIENT", "LIST"), slow.Id, "omem");
                    trace.Add(FormattableString.Invariant($"{clock.Elapsed.TotalSeconds:F2}s omem={omem}"));
                    if (omem >= 256 * 1024)
                    {
                        overSoftAt = clock.Elapsed.TotalSeconds;
                    }
                }

                await Task.Delay(20);
            }

            var summary = FormattableString.Invariant($"{published} published; over the soft limit at {overSoftAt:F2} s, disconnected at {disconnectedAt:F2} s; {string.Join(", ", trace.TakeLast(5))}");
            Assert.True(overSoftAt is not null, $"never over the soft limit: {summary}");
            Assert.True(disconnectedAt is not null, $"never disconnected: {summary}");

            // Over the soft limit for at least its 1 s (Redis counts whole seconds: between 1 and 3 s).
            Assert.True(disconnectedAt - overSoftAt >= 0.9, $"disconnected before its soft seconds were up: {summary}");
            Assert.True(disconnectedAt - overSoftAt <= 5, $"disconnected late: {summary}");
            var (closed, _) = await DrainUntilClosedAsync(slow, TimeSpan.FromSeconds(30));
            Assert.True(closed, summary);
            await reader.WaitForAsync(published, TimeSpan.FromSeconds(30));
            await reader.DisposeAsync();
        }
        finally
        {
            await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", DefaultLimits);
        }
    });

    [Theory]
    [InlineData("ours")]
    [InlineData("redis")]
    public Task A_subscriber_over_the_soft_limit_briefly_and_repeatedly_stays_connected(string name) => fixture.RunAsync(async () =>
    {
        // Soft limit 256 KB for 3 s: the subscriber stops reading for 1.5 s (publishes fill the
        // kernel's buffers, then put it over the soft limit), catches up for 1 s, and stops
        // again: over the limit for longer than 3 s in all, but never for 3 s at a stretch, so
        // it stays. Publishes continue throughout: the limits are checked when a message is queued.
        var server = Server(name);
        const string Channel = "soft-dips";
        const int Size = 16 * 1024;
        await using var admin = await server.ConnectAsync();
        Assert.Equal("+OK\r\n", await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 3"));
        try
        {
            var reader = await Reader.StartAsync(server, Channel, Size, paused: true);
            await using var publisher = await server.ConnectAsync();
            var published = 0;
            var overSoft = new List<string>();
            var clock = Stopwatch.StartNew();
            foreach (var (paused, seconds) in new[] { (true, 1.5), (false, 1.0), (true, 1.5), (false, 1.0), (true, 1.5), (false, 1.0) })
            {
                reader.Paused = paused;
                var phaseStart = clock.Elapsed.TotalSeconds;
                var omem = 0L;
                double? firstOver = null;
                while (clock.Elapsed.TotalSeconds < phaseStart + seconds)
                {
                    var reply = await publisher.SendAndReadAsync("PUBLISH", Channel, Reader.Payload(published, Size));
                    published++;
                    Assert.True(reply == ":1\r\n", FormattableString.Invariant($"message {published}: the subscriber was disconnected at {clock.Elapsed.TotalSeconds:F2} s; over the soft limit: {string.Join(", ", overSoft)}"));
                    if (published % 4 == 0)
                    {
                        omem = ClientField(await admin.SendAndReadAsync("CLIENT", "LIST"), reader.Id, "omem");
                        if (omem >= 256 * 1024)
                        {
                            firstOver ??= clock.Elapsed.TotalSeconds;
                        }
                    }

                    // Paused: as fast as possible until well over the soft limit, then slowly.
                    if (!paused || omem >= 512 * 1024)
                    {
                        await Task.Delay(paused ? 50 : 20);
                    }
                }

                if (paused)
                {
                    overSoft.Add(FormattableString.Invariant($"{firstOver - phaseStart:F2}..{seconds:F1} s into pause (omem {omem})"));
                    Assert.True(firstOver is not null, $"the subscriber never went over the soft limit in a pause: the test proves nothing; {string.Join(", ", overSoft)}");
                }
            }

            reader.Paused = false;
            await reader.WaitForAsync(published, TimeSpan.FromSeconds(30));
            await reader.DisposeAsync();
        }
        finally
        {
            await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", DefaultLimits);
        }
    });

    [Fact]
    public Task A_subscriber_closed_past_the_limit_is_counted_once_while_publishes_keep_coming() => fixture.RunAsync(async () =>
    {
        // 500 pipelined publishes of 16 KB: the subscriber goes over the 256 KB hard limit early on,
        // and the publishes after that must not count (or close) it again.
        const string Channel = "counted-once";
        var payload = new string('c', 16 * 1024);
        await using var admin = await fixture.Ours.ConnectAsync();
        Assert.Equal("+OK\r\n", await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 128kb 5"));
        try
        {
            for (var trial = 0; trial < 3; trial++)
            {
                var before = InfoField(await admin.SendAndReadAsync("INFO", "stats"), "client_output_buffer_limit_disconnections");
                using var slow = await SlowSubscriberAsync(fixture.Ours.Port, Channel);
                await using var publisher = await fixture.Ours.ConnectAsync();
                await publisher.SendAsync(string.Concat(Enumerable.Repeat(Resp.CommandText("PUBLISH", Channel, payload), 500)));
                var replies = (await publisher.ReadRepliesAsync(500, TimeSpan.FromSeconds(60))).Select(r => Encoding.ASCII.GetString(r)).ToList();
                var (closed, _) = await DrainUntilClosedAsync(slow, TimeSpan.FromSeconds(30));
                Assert.True(closed, "the slow subscriber was not disconnected");
                var after = InfoField(await admin.SendAndReadAsync("INFO", "stats"), "client_output_buffer_limit_disconnections");
                Assert.True(after - before == 1, $"trial {trial}: one client closed, client_output_buffer_limit_disconnections went up by {after - before}; " +
                    $"PUBLISH replies: {replies.Count(r => r == ":1\r\n")} × 1, {replies.Count(r => r == ":0\r\n")} × 0");
            }
        }
        finally
        {
            await admin.SendAndReadAsync("CONFIG", "SET", "client-output-buffer-limit", DefaultLimits);
        }
    });

    private ServerProcess Server(string name) => name == "ours" ? fixture.Ours : fixture.Redis;

    // A subscriber with a tiny receive buffer that never reads after its confirmation.
    private static async Task<SlowSubscriber> SlowSubscriberAsync(int port, string channel)
    {
        var (socket, id) = await SubscribeAsync(port, channel, receiveBufferSize: 4096);
        return new SlowSubscriber(socket, id);
    }

    // A connection that has asked for its CLIENT ID and subscribed to the channel, both replies read.
    private static async Task<(Socket Socket, long Id)> SubscribeAsync(int port, string channel, int? receiveBufferSize)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            // Before connecting, so that the window the server sees is small from the start.
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        await socket.SendAsync(Resp.Command("CLIENT", "ID"));
        await socket.SendAsync(Resp.Command("SUBSCRIBE", channel));
        var expectedTail = Encoding.ASCII.GetBytes($"*3\r\n$9\r\nsubscribe\r\n${channel.Length}\r\n{channel}\r\n:1\r\n");
        var buffer = new byte[256];
        var filled = 0;
        while (filled < 4 || !buffer.AsSpan(0, filled).EndsWith(expectedTail))
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException($"Closed while subscribing: \"{RespFrame.Escape(buffer.AsSpan(0, filled))}\"");
            }

            filled += read;
        }

        var text = Encoding.ASCII.GetString(buffer, 0, filled);
        var id = long.Parse(text[1..text.IndexOf('\r', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        return (socket, id);
    }

    private static async Task<(bool Closed, long Bytes)> DrainUntilClosedAsync(SlowSubscriber slow, TimeSpan timeout)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var read = await slow.Socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
                if (read == 0)
                {
                    return (true, total);
                }

                total += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return (true, total);
        }
        catch (OperationCanceledException)
        {
            return (false, total);
        }
    }

    private static long InfoField(string info, string field)
    {
        var line = info.Split("\r\n").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"INFO has no {field}:\n{info}");
        return long.Parse(line[(field.Length + 1)..], CultureInfo.InvariantCulture);
    }

    // A field of client <id>'s CLIENT LIST line; -1 once the client is gone.
    private static long ClientField(string clientList, long id, string field)
    {
        var line = clientList.Split('\n').FirstOrDefault(l => l.Contains($"id={id} ", StringComparison.Ordinal));
        if (line is null)
        {
            return -1;
        }

        var value = line.Split(' ').First(f => f.StartsWith(field + "=", StringComparison.Ordinal));
        return long.Parse(value[(field.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private sealed record SlowSubscriber(Socket Socket, long Id) : IDisposable
    {
        public void Dispose() => Socket.Dispose();
    }

    /// <summary>
    /// A subscriber that reads on its own task, checks that message i is <see cref="Payload"/>(i),
    /// in order, byte for byte, and counts them; it can be paused (it then stops reading its
    /// socket, whose receive buffer is small when it starts paused, so the server's buffer grows).
    /// </summary>
    private sealed class Reader : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly string _channel;
        private readonly int _size;
        private readonly CancellationTokenSource _stop = new();
        private Task _reading = Task.CompletedTask;
        private volatile bool _paused;
        private int _received;
        private volatile string? _failure;

        private Reader(Socket socket, string channel, int size, long id, bool paused)
        {
            _socket = socket;
            _channel = channel;
            _size = size;
            Id = id;
            _paused = paused;
        }

        public long Id { get; }

        public bool Paused
        {
            get => _paused;
            set => _paused = value;
        }

        /// <summary>Message i: its number, then filler up to <paramref name="size"/> bytes.</summary>
        public static string Payload(int i, int size) => i.ToString("D10", CultureInfo.InvariantCulture) + new string((char)('a' + (i % 26)), size - 10);

        public static async Task<Reader> StartAsync(ServerProcess server, string channel, int size, bool paused = false)
        {
            var (socket, id) = await SubscribeAsync(server.Port, channel, paused ? 4096 : null);
            var reader = new Reader(socket, channel, size, id, paused);
            reader._reading = Task.Run(reader.ReadAsync);
            return reader;
        }

        /// <summary>Waits until <paramref name="count"/> messages have arrived, in order; fails on a wrong one.</summary>
        public async Task WaitForAsync(int count, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref _received) < count && _failure is null && deadline.Elapsed < timeout)
            {
                await Task.Delay(10);
            }

            Assert.True(_failure is null, $"reader {Id}: {_failure}");
            Assert.True(Volatile.Read(ref _received) == count, $"reader {Id} received {_received} of {count} messages");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _socket.Dispose();
            await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
        }

        private byte[] Frame(int i)
        {
            var payload = Payload(i, _size);
            return Encoding.ASCII.GetBytes($"*3\r\n$7\r\nmessage\r\n${_channel.Length}\r\n{_channel}\r\n${payload.Length}\r\n{payload}\r\n");
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[1024 * 1024];
            var filled = 0;
            var expected = Frame(0);
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    if (_paused)
                    {
                        await Task.Delay(5);
                        continue;
                    }

                    var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        _failure = $"closed by the server after {_received} messages";
                        return;
                    }

                    filled += read;
                    var offset = 0;
                    while (filled - offset >= expected.Length)
                    {
                        if (!buffer.AsSpan(offset, expected.Length).SequenceEqual(expected))
                        {
                            _failure = $"message {_received} is \"{RespFrame.Escape(buffer.AsSpan(offset, expected.Length), 80)}\"";
                            return;
                        }

                        offset += expected.Length;
                        Interlocked.Increment(ref _received);
                        expected = Frame(_received);
                    }

                    buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                    filled -= offset;
                }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                _failure = $"after {_received} messages: {e.GetType().Name}: {e.Message}";
            }
            catch (Exception)
            {
                // Stopped.
            }
        }
    }
}
