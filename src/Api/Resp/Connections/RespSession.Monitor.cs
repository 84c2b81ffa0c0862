using System.Globalization;
using Platform.Api.Resp.Commands;

namespace Platform.Api.Resp.Connections;

/// <summary>MONITOR: the connection as a monitor, and how its own commands are shown to monitors.</summary>
internal sealed partial class RespSession
{
    private bool _monitoring;

    // The blocking command shown to monitors when it blocked, as Redis shows it then: not again when it completes.
    private CommandDefinition? _shownWhenBlocked;

    /// <summary>Whether the client monitors (Redis's CLIENT_MONITOR).</summary>
    public bool IsMonitor => _monitoring;

    /// <summary>MONITOR: answers OK, then shows the client every command run; nothing if it monitors already.</summary>
    public void StartMonitoring()
    {
        if (_monitoring)
        {
            return;
        }

        // The OK goes out before any line of the feed, which other clients' commands send at once.
        Reply.WriteSimpleString("OK"u8);
        CommitReplies();
        _monitoring = true;
        _server.Monitors.Add(this);
    }

    /// <summary>Sends a line of the monitor's feed, under the client's output limit as any message.</summary>
    public void ShowMonitored(byte[] line) => EnforceOutputLimit(_output.Append(line));

    private void StopMonitoring()
    {
        if (_monitoring)
        {
            _monitoring = false;
            _server.Monitors.Remove(this);
        }
    }

    // Once the command has run (so SELECT shows its new database), unless it is administrative,
    // as Redis's call() feeds monitors. A blocking command is shown when it blocks. QUIT never is:
    // Redis 7.0 answers it before it looks commands up.
    private void ShowToMonitors(CommandDefinition command)
    {
        if (!_server.Monitors.Any || (command.Flags & CommandFlags.Admin) != 0 || command.FullName == "quit")
        {
            return;
        }

        // A monitor's own command: its reply goes before the line that shows it.
        if (_monitoring)
        {
            CommitReplies();
        }

        _server.Monitors.Send(MonitorLine(command));
    }

    private void ShowBlockingToMonitors()
    {
        if (LastCommand is { } command)
        {
            ShowToMonitors(command);
            _shownWhenBlocked = command;
        }
    }

    private void ShowCompletedToMonitors(CommandDefinition command)
    {
        if (ReferenceEquals(_shownWhenBlocked, command))
        {
            _shownWhenBlocked = null;
            return;
        }

        ShowToMonitors(command);
    }

    // +<seconds>.<microseconds> [<db> <address>] "arg" "arg"..., each argument quoted as Redis's
    // sdscatrepr quotes (C escapes, \xHH for what is not printable ASCII), passwords "(redacted)".
    private byte[] MonitorLine(CommandDefinition command)
    {
        var micros = (_server.Time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"+{micros / 1_000_000}.{micros % 1_000_000:D6} [{Database} {Address}]");
        var args = Args;
        for (var i = 0; i < args.Count; i++)
        {
            line.Append(' ');
            AppendQuoted(line, IsSecret(command, i) ? "(redacted)"u8 : args[i]);
        }

        return Encoding.Latin1.GetBytes(line.Append("\r\n").ToString());
    }

    private static void AppendQuoted(StringBuilder line, ReadOnlySpan<byte> value)
    {
        line.Append('"');
        foreach (var b in value)
        {
            _ = b switch
            {
                (byte)'\\' or (byte)'"' => line.Append('\\').Append((char)b),
                (byte)'\n' => line.Append("\\n"),
                (byte)'\r' => line.Append("\\r"),
                (byte)'\t' => line.Append("\\t"),
                (byte)'\a' => line.Append("\\a"),
                (byte)'\b' => line.Append("\\b"),
                >= 0x20 and < 0x7f => line.Append((char)b),
                _ => line.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
            };
        }

        line.Append('"');
    }
}
