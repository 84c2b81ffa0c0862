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
            _server.Time.GetUtcNow().ToUnixTimeSeconds(), micros, SlowLogArgs(), Address, Name ?? "", _server.Config.SlowlogMaxLength);
    }

    // At most 32 arguments, the last saying how many more there were; each at most 128 bytes,
    // saying how many more it had; passwords as "(redacted)".
    private byte[][] SlowLogArgs()
    {
        var args = Args;
        var kept = Math.Min(args.Count, SlowLogMaxArgs);
        var logged = new byte[kept][];
        for (var i = 0; i < kept; i++)
        {
            var arg = args[i];
            logged[i] = kept != args.Count && i == kept - 1 ? Text($"... ({args.Count - kept + 1} more arguments)")
                : IsRedacted(i) ? "(redacted)"u8.ToArray()
                : arg.Length > SlowLogMaxArgBytes ? [.. arg[..SlowLogMaxArgBytes], .. Text($"... ({arg.Length - SlowLogMaxArgBytes} more bytes)")]
                : arg.ToArray();
        }

        return logged;

        static byte[] Text(string text) => Encoding.ASCII.GetBytes(text);
    }
}
