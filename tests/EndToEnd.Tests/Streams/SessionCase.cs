using System.Globalization;
using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Differential;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>What a step does.</summary>
public enum StepKind
{
    /// <summary>Sends commands on a connection (opened on first use).</summary>
    Send,

    /// <summary>Sends commands that are expected to block: the connection's replies are not waited for.</summary>
    SendBlocking,

    /// <summary>Closes the connection from the client's side.</summary>
    Close,

    /// <summary>Waits: lets a server notice a closed connection or a timeout.</summary>
    Pause,
}

/// <summary>One step of a <see cref="SessionCase"/>.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Connection">The connection's letter (A, B, …).</param>
/// <param name="Commands">A <see cref="Script"/> line; <c>{id:X}</c> is connection X's CLIENT ID.</param>
/// <param name="Milliseconds">For a pause.</param>
public sealed record SessionStep(StepKind Kind, char Connection, string Commands = "", int Milliseconds = 0)
{
    public override string ToString() => $"{Kind} {Connection}: {Commands}";
}

/// <summary>
/// A differential case over several connections (a blocked reader and a writer; a watcher and a
/// writer): the same steps run on ours and on redis-server. After each step, every connection that
/// owes replies is read up to a sentinel command queued behind them, for as long as a reply can
/// take (a connection expected to be blocked, briefly), so what each step caused on each
/// connection — a reply, an unblocked read, a close — is recorded against that step.
/// </summary>
public sealed record SessionCase(string Name, SessionStep[] Steps, Func<string, string>? Mask = null)
{
    /// <summary>Commands on connection <paramref name="connection"/>.</summary>
    public static SessionStep On(char connection, string commands) => new(StepKind.Send, connection, commands);

    /// <summary>Commands on <paramref name="connection"/> that block (their reply comes after a later step, or never).</summary>
    public static SessionStep Blocks(char connection, string commands) => new(StepKind.SendBlocking, connection, commands);

    /// <summary>Closes <paramref name="connection"/>.</summary>
    public static SessionStep Close(char connection) => new(StepKind.Close, connection);

    /// <summary>Waits <paramref name="milliseconds"/>.</summary>
    public static SessionStep Pause(int milliseconds) => new(StepKind.Pause, ' ', Milliseconds: milliseconds);

    /// <summary>The theory rows: every case in each of the protocols.</summary>
    public static TheoryData<string, int> Rows(IEnumerable<SessionCase> cases, params int[] protocols) =>
        ProtocolRows.Of(cases.Select(c => c.Name), protocols);

    public override string ToString() => Name;
}

/// <summary>Runs a <see cref="SessionCase"/> on both servers and compares the transcripts.</summary>
internal static partial class SessionRunner
{
    private const string Sentinel = "__sentinel__";
    private static readonly byte[] SentinelReply = Encoding.ASCII.GetBytes($"-ERR unknown command '{Sentinel}'");
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(10);

    public static Task RunAsync(ServerPairFixture fixture, SessionCase c, int protocol) => fixture.RunAsync(async () =>
    {
        string[] transcripts;
        try
        {
            transcripts = await Task.WhenAll(RunOnAsync(fixture.Ours, c, protocol), RunOnAsync(fixture.Redis, c, protocol));
        }
        finally
        {
            await Task.WhenAll(ResetAsync(fixture.Ours), ResetAsync(fixture.Redis));
        }

        var mask = c.Mask ?? StreamMasks.Volatile;
        var (ours, redis) = (mask(transcripts[0]), mask(transcripts[1]));
        if (ours != redis)
        {
            Assert.Fail($"Case '{c.Name}' (RESP{protocol}): transcripts differ\n--- ours ---\n{ours}\n--- redis ---\n{redis}");
        }
    });

    /// <summary>INFO: only the blocked_clients line is compared.</summary>
    public static string BlockedClients(string transcript) =>
        InfoBulk().Replace(transcript, m => BlockedClientsLine().Match(m.Value) is { Success: true } line ? $"INFO {line.Value}" : "INFO …");

    private static async Task<string> RunOnAsync(ServerProcess server, SessionCase c, int protocol)
    {
        var connections = new Dictionary<char, Connection>();
        var transcript = new StringBuilder();
        try
        {
            for (var index = 0; index < c.Steps.Length; index++)
            {
                var step = c.Steps[index];
                transcript.Append(CultureInfo.InvariantCulture, $"#{index + 1} {step}\n");
                switch (step.Kind)
                {
                    case StepKind.Pause:
                        await Task.Delay(step.Milliseconds);
                        break;
                    case StepKind.Close:
                        await connections[step.Connection].Socket.DisposeAsync();
                        connections.Remove(step.Connection);
                        break;
                    default:
                        {
                            if (!connections.TryGetValue(step.Connection, out var connection))
                            {
                                connection = await OpenAsync(server, protocol);
                                connections[step.Connection] = connection;
                            }

                            var commands = IdReference().Replace(step.Commands, m => connections[m.Groups[1].Value[0]].Id);
                            await connection.Socket.SendAsync(Script.Parse(commands) + Resp.CommandText(Sentinel));
                            connection.Owed++;
                            break;
                        }
                }

                // What this step caused on every connection that owes replies: the step's own
                // replies first, then the others. A reader served by the step's writes is served
                // once they are committed, which under appendfsync always can take longer than
                // the wait for a connection that may stay blocked, when it starts at the send.
                var caused = new SortedDictionary<char, string>();
                foreach (var (name, connection) in connections.OrderBy(p => p.Key != step.Connection).ThenBy(p => p.Key))
                {
                    if (connection.Owed == 0 && !connection.MayClose)
                    {
                        continue;
                    }

                    var wait = name == step.Connection && step.Kind == StepKind.Send ? Reply : Blocked;
                    var frames = await ReadAsync(connection, wait);
                    if (frames.Length > 0)
                    {
                        caused[name] = frames;
                    }
                }

                foreach (var (name, frames) in caused)
                {
                    transcript.Append(CultureInfo.InvariantCulture, $"  {name}: {frames}\n");
                }
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.Socket.DisposeAsync();
            }
        }

        return transcript.ToString();
    }

    private static async Task<string> ReadAsync(Connection connection, TimeSpan wait)
    {
        var frames = new List<string>();
        while (connection.Owed > 0 && !connection.Socket.ClosedByServer)
        {
            byte[] frame;
            try
            {
                frame = await connection.Socket.ReadReplyAsync(wait);
            }
            catch (TimeoutException)
            {
                break;
            }
            catch (RespConnectionClosedException)
            {
                break;
            }

            if (frame.AsSpan().StartsWith(SentinelReply))
            {
                connection.Owed--;
                continue;
            }

            frames.Add(RespFrame.Render(frame));
        }

        if (connection.Socket.ClosedByServer && !connection.ReportedClosed)
        {
            connection.ReportedClosed = true;
            frames.Add("<closed by the server>");
        }

        return string.Join(" | ", frames);
    }

    private static async Task<Connection> OpenAsync(ServerProcess server, int protocol)
    {
        var socket = await server.ConnectAsync();
        if (protocol == 3)
        {
            await socket.CallAsync("HELLO", "3");
        }

        var id = RespValue.Parse(await socket.CallAsync("CLIENT", "ID")).Integer.ToString(CultureInfo.InvariantCulture);
        return new Connection(socket, id);
    }

    private static async Task ResetAsync(ServerProcess server)
    {
        await using var connection = await server.ConnectAsync();
        await connection.SendAsync(Script.Reset);
        await connection.ReadRepliesAsync(2);
    }

    [GeneratedRegex(@"\{id:([A-Z])\}")]
    private static partial Regex IdReference();

    [GeneratedRegex(@"[$=]""# Clients[^""]*""|[$=]""[^""]*blocked_clients:[^""]*""")]
    private static partial Regex InfoBulk();

    [GeneratedRegex(@"blocked_clients:\d+")]
    private static partial Regex BlockedClientsLine();

    private sealed class Connection(RespConnection socket, string id)
    {
        public RespConnection Socket { get; } = socket;

        public string Id { get; } = id;

        public int Owed { get; set; }

        public bool MayClose => !ReportedClosed;

        public bool ReportedClosed { get; set; }
    }
}
