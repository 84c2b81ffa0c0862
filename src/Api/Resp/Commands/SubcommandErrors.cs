using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands;

/// <summary>The error every container (CLIENT, XGROUP, PUBSUB…) gives a known subcommand with the wrong arguments.</summary>
internal static class SubcommandErrors
{
    /// <summary>Redis's "unknown subcommand or wrong number of arguments for 'X'. Try C HELP." (addReplySubcommandSyntaxError).</summary>
    public static void WriteSyntaxError(RespSession session)
    {
        var args = session.Args;
        var container = CString(args[0]).ToArray();
        Ascii.ToUpperInPlace(container, out _);
        var subcommand = CString(args[1]);
        session.Reply.WriteFormattedError([
            .. "ERR unknown subcommand or wrong number of arguments for '"u8, .. subcommand[..Math.Min(subcommand.Length, 128)], .. "'. Try "u8,
            .. container, .. " HELP."u8]);
    }

    // Redis formats names with %s: they end at a NUL.
    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> value)
    {
        var nul = value.IndexOf((byte)0);
        return nul >= 0 ? value[..nul] : value;
    }
}
