using System.Buffers;
using Platform.Api.Resp.Commands;

namespace Platform.Api.Resp.Connections;

/// <summary>
/// MONITOR: the connection as a monitor; how its own commands are shown to monitors; and the
/// arguments they are shown without (passwords), which the commands mark as Redis's do.
/// </summary>
internal sealed partial class RespSession
{
    private bool _monitoring;

    // Whether lines of the feed are dropped, as every reply is (CLIENT REPLY OFF or SKIP), which
    // also happens once the connection is to close after its reply (QUIT). Read by the threads
    // that send lines.
    private volatile bool _feedMuted;

    // The blocking command shown to monitors when it blocked, as Redis shows it then: not again when it completes.
    private CommandDefinition? _shownWhenBlocked;

    // The arguments of the command under way that monitors and SLOWLOG see as "(redacted)".
    private List<int>? _redacted;

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

    /// <summary>Sends a line of the feed, under the client's output limit as any message.</summary>
    public void ShowMonitored(byte[] line)
    {
        if (!_feedMuted && !Volatile.Read(ref _closeAfterReply))
        {
            EnforceOutputLimit(_output.Append(line));
        }
    }

    /// <summary>Shows an argument of the command under way as "(redacted)": a password (AUTH, HELLO, CONFIG SET requirepass).</summary>
    public void Redact(int index) => (_redacted ??= []).Add(index);

    private bool IsRedacted(int index) => _redacted is { } redacted && redacted.Contains(index);

    private void StopMonitoring()
    {
        if (_monitoring)
        {
            _monitoring = false;
            _server.Monitors.Remove(this);
        }
    }

    // Replies and the feed are muted together.
    private void MuteReplies(bool muted)
    {
        Reply.Muted = muted;
        _feedMuted = muted;
    }

    // Once the command has run (so SELECT shows its new database), unless it is administrative,
    // as Redis's call() feeds monitors. A blocking command is shown when it blocks.
    private void ShowToMonitors(CommandDefinition command)
    {
        if (!_server.Monitors.Any || (command.Flags & CommandFlags.Admin) != 0)
        {
            return;
        }

        // A monitor's own command: its reply goes before the line that shows it.
        if (_monitoring)
        {
            CommitReplies();
        }

        _server.Monitors.Send(MonitorLine());
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

    // A line of the feed but its time: " [<db> <address>] "arg" "arg"...\r\n", each argument quoted
    // as Redis's sdscatrepr quotes (C escapes, \xHH for what is not printable ASCII).
    private byte[] MonitorLine()
    {
        var line = new ArrayBufferWriter<byte>(64);
        Encoding.ASCII.GetBytes($" [{Database} {Address}]", line);
        var args = Args;
        for (var i = 0; i < args.Count; i++)
        {
            line.Write(" "u8);
            AppendQuoted(line, IsRedacted(i) ? "(redacted)"u8 : args[i]);
        }

        line.Write("\r\n"u8);
        return line.WrittenSpan.ToArray();
    }

    private static void AppendQuoted(ArrayBufferWriter<byte> line, ReadOnlySpan<byte> value)
    {
        line.Write("\""u8);
        foreach (var b in value)
        {
            var escaped = b switch
            {
                (byte)'\\' or (byte)'"' => b,
                (byte)'\n' => (byte)'n',
                (byte)'\r' => (byte)'r',
                (byte)'\t' => (byte)'t',
                (byte)'\a' => (byte)'a',
                (byte)'\b' => (byte)'b',
                _ => (byte)0,
            };
            if (escaped != 0)
            {
                line.Write([(byte)'\\', escaped]);
            }
            else if (b is >= 0x20 and < 0x7f)
            {
                line.Write([b]);
            }
            else
            {
                line.Write([(byte)'\\', (byte)'x', HexDigit(b >> 4), HexDigit(b & 0xf)]);
            }
        }

        line.Write("\""u8);

        static byte HexDigit(int value) => (byte)"0123456789abcdef"[value];
    }
}
