using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands;

/// <summary>The reply of a container's HELP subcommand, in Redis's layout.</summary>
internal static class HelpReply
{
    /// <summary>Writes the header, <paramref name="lines"/>, and the HELP footer as simple strings.</summary>
    public static void Write(ReplyWriter reply, string command, IReadOnlyList<string> lines)
    {
        reply.WriteArrayHeader(lines.Count + 3);
        reply.WriteSimpleString(Encoding.UTF8.GetBytes($"{command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
        foreach (var line in lines)
        {
            reply.WriteSimpleString(Encoding.UTF8.GetBytes(line));
        }

        reply.WriteSimpleString("HELP"u8);
        reply.WriteSimpleString("    Prints this help."u8);
    }
}
