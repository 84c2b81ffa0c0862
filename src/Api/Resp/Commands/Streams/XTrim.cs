using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]: the number of entries removed.</summary>
internal sealed class XTrim : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        AddOrTrimArguments.Parse(session, xadd: false) is { } parsed
            ? Reply(session, session.Stream(1).TrimAsync(parsed.Trim), static (session, removed) => session.Reply.WriteInteger(removed))
            : ValueTask.CompletedTask;
}
