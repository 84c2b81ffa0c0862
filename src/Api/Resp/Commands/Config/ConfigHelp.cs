using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Config;

/// <summary>CONFIG HELP.</summary>
internal sealed class ConfigHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "CONFIG", Lines);
}
