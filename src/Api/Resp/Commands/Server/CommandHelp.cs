using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>COMMAND HELP.</summary>
internal sealed class CommandHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "COMMAND", Lines);
}
