using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>Runs a <see cref="DiffCase"/> against ours and Redis and fails on any difference.</summary>
internal static class DifferentialRunner
{
    // Unknown to both servers, answered in every state (before AUTH too), so it marks the end of a case's replies.
    private const string SentinelName = "__sentinel__";
    private static readonly byte[] SentinelReplyPrefix = Encoding.ASCII.GetBytes($"-ERR unknown command '{SentinelName}'");

    public static Task RunAsync(ServerPairFixture fixture, DiffCase c, int protocol) => fixture.RunAsync(async () =>
    {
        ServerResult ours, redis;
        try
        {
            var running = new[] { RunOnAsync(fixture.Ours, c, protocol), RunOnAsync(fixture.Redis, c, protocol) };
            await Task.WhenAll(running);
            (ours, redis) = (running[0].Result, running[1].Result);
        }
        finally
        {
            if (c.Restore is not null)
            {
                await Task.WhenAll(RestoreAsync(fixture.Ours, c.Restore), RestoreAsync(fixture.Redis, c.Restore));
            }
        }

        var (left, right) = c.Comparison switch
        {
            Comparison.Exact => (RespFrame.Escape(ours.Data, int.MaxValue), RespFrame.Escape(redis.Data, int.MaxValue)),
            Comparison.Shape => (RespFrame.RenderAll(ours.Data, shapeOnly: true), RespFrame.RenderAll(redis.Data, shapeOnly: true)),
            _ => (c.Mask!(RespFrame.RenderAll(ours.Data)), c.Mask!(RespFrame.RenderAll(redis.Data))),
        };

        var problems = new List<string>();
        if (left != right)
        {
            problems.Add(c.Comparison == Comparison.Exact ? "replies differ" : $"replies differ ({c.Comparison})");
        }

        if (ours.Closed != redis.Closed)
        {
            problems.Add($"connection closed: ours {ours.Closed}, redis {redis.Closed}");
        }

        var expectClosed = c.Outcome == Outcome.Closes;
        if (redis.Closed != expectClosed || redis.TimedOut)
        {
            problems.Add($"the case itself is wrong: redis closed={redis.Closed} timed out={redis.TimedOut}, case expects {c.Outcome}");
        }

        if (ours.TimedOut)
        {
            problems.Add("ours timed out (no sentinel reply)");
        }

        if (problems.Count > 0)
        {
            var message = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"Case '{c.Name}' (RESP{protocol}): {string.Join("; ", problems)}\n")
                .Append(CultureInfo.InvariantCulture, $"sent : \"{RespFrame.Escape(Encoding.Latin1.GetBytes(c.Send), 600)}\"\n")
                .Append(CultureInfo.InvariantCulture, $"ours : \"{RespFrame.Escape(ours.Data, 3000)}\" (closed: {ours.Closed})\n")
                .Append(CultureInfo.InvariantCulture, $"redis: \"{RespFrame.Escape(redis.Data, 3000)}\" (closed: {redis.Closed})\n");
            if (c.Comparison != Comparison.Exact)
            {
                message.Append(CultureInfo.InvariantCulture, $"compared ours : {left}\ncompared redis: {right}\n");
            }

            throw new DifferentialMismatchException(message.ToString());
        }
    });

    private static async Task<ServerResult> RunOnAsync(ServerProcess server, DiffCase c, int protocol)
    {
        await using var connection = await server.ConnectAsync();
        if (protocol == 3)
        {
            await connection.SendCommandAsync("HELLO", "3");
            var hello = await connection.ReadReplyAsync();
            if (hello[0] != (byte)'%')
            {
                throw new InvalidOperationException($"{server.Name}: HELLO 3 answered \"{RespFrame.Escape(hello)}\".");
            }
        }

        var send = c.Send;
        if (send.Contains("{id}", StringComparison.Ordinal))
        {
            var id = await connection.CallAsync("CLIENT", "ID");
            var text = Encoding.ASCII.GetString(id, 1, id.Length - 3);

            // In a multibulk request the bulk's length changes with it.
            send = send
                .Replace("$4\r\n{id}\r\n", $"${text.Length}\r\n{text}\r\n", StringComparison.Ordinal)
                .Replace("{id}", text, StringComparison.Ordinal);
        }

        await connection.SendAsync(send);
        switch (c.Outcome)
        {
            case Outcome.Closes:
                {
                    var (data, closed) = await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));
                    return new ServerResult(data, closed, TimedOut: false);
                }

            case Outcome.Silent:
                {
                    var data = await connection.ReadAvailableAsync(TimeSpan.FromMilliseconds(500));
                    return new ServerResult(data, connection.ClosedByServer, TimedOut: false);
                }

            default:
                return await ReadUntilSentinelAsync(connection);
        }
    }

    private static async Task<ServerResult> ReadUntilSentinelAsync(RespConnection connection)
    {
        await connection.SendCommandAsync(SentinelName);
        var replies = new List<byte>();
        while (true)
        {
            byte[] frame;
            try
            {
                frame = await connection.ReadReplyAsync(TimeSpan.FromSeconds(10));
            }
            catch (RespConnectionClosedException)
            {
                replies.AddRange((await connection.ReadUntilClosedAsync(TimeSpan.FromSeconds(1))).Data);
                return new ServerResult([.. replies], Closed: true, TimedOut: false);
            }
            catch (TimeoutException)
            {
                replies.AddRange(await connection.ReadAvailableAsync(TimeSpan.Zero));
                return new ServerResult([.. replies], connection.ClosedByServer, TimedOut: true);
            }

            if (frame.AsSpan().StartsWith(SentinelReplyPrefix))
            {
                return new ServerResult([.. replies], Closed: false, TimedOut: false);
            }

            replies.AddRange(frame);
        }
    }

    private static async Task RestoreAsync(ServerProcess server, string restore)
    {
        await using var connection = await server.ConnectAsync();
        if (server.Password is not null)
        {
            await connection.CallAsync("AUTH", server.Password);
        }

        await connection.SendAsync(restore);
        await ReadUntilSentinelAsync(connection);
    }

    private sealed record ServerResult(byte[] Data, bool Closed, bool TimedOut);
}

/// <summary>Ours answered differently from Redis.</summary>
public sealed class DifferentialMismatchException(string message) : Exception(message);
