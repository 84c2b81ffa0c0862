using Platform.Api.Resp.Commands;

namespace Platform.Api.Resp.Connections;

/// <summary>SLOWLOG's entries: a command that ran long, with its arguments as Redis keeps them.</summary>
internal sealed partial class RespSession
{
    // Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
    private const int SlowLogMaxArgs = 32;
    private const int SlowLogMaxArgBytes = 128;

    // Stopwatch ticks the command under way spent blocked (XREAD BLOCK, WAIT): not running, so not
    // counted, as Redis counts only a blocked command's own work.
    private long _waitedTicks;

    private void RecordIfSlow(CommandDefinition command, TimeSpan ran)
    {
        var threshold = _server.Config.SlowlogSlowerThanMicros;
        var micros = ran.Ticks / TimeSpan.TicksPerMicrosecond;
        if (threshold < 0 || micros < threshold || (command.Flags & CommandFlags.SkipSlowlog) != 0)
        {
            return;
        }

        _server.SlowLog.Add(
            _server.Time.GetUtcNow().ToUnixTimeSeconds(), micros, SlowLogArgs(command), Address, Name ?? "", _server.Config.SlowlogMaxLength);
    }

    // At most 32 arguments, the last saying how many more there were; each at most 128 bytes,
    // saying how many more it had; passwords as "(redacted)".
    private byte[][] SlowLogArgs(CommandDefinition command)
    {
        var args = Args;
        var kept = Math.Min(args.Count, SlowLogMaxArgs);
        var logged = new byte[kept][];
        for (var i = 0; i < kept; i++)
        {
            var arg = args[i];
            logged[i] = kept != args.Count && i == kept - 1 ? Text($"... ({args.Count - kept + 1} more arguments)")
                : IsSecret(command, i) ? "(redacted)"u8.ToArray()
                : arg.Length > SlowLogMaxArgBytes ? [.. arg[..SlowLogMaxArgBytes], .. Text($"... ({arg.Length - SlowLogMaxArgBytes} more bytes)")]
                : arg.ToArray();
        }

        return logged;

        static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);
    }

    // The arguments Redis redacts: AUTH's, HELLO's AUTH username and password, CONFIG SET requirepass's value.
    private bool IsSecret(CommandDefinition command, int index)
    {
        var args = Args;
        switch (command.FullName)
        {
            case "auth":
                return index > 0;
            case "hello":
                // Its options as HELLO reads them: AUTH takes two arguments, SETNAME one.
                for (var i = 2; i < args.Count; i++)
                {
                    if (args.Is(i, "auth"u8) && i + 2 < args.Count)
                    {
                        if (index == i + 1 || index == i + 2)
                        {
                            return true;
                        }

                        i += 2;
                    }
                    else if (args.Is(i, "setname"u8) && i + 1 < args.Count)
                    {
                        i++;
                    }
                    else
                    {
                        return false;
                    }
                }

                return false;
            case "config|set":
                return index >= 3 && index % 2 == 1 && args.Is(index - 1, "requirepass"u8);
            default:
                return false;
        }
    }
}
