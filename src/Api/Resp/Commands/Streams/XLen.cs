using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XLEN key.</summary>
internal sealed class XLen : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(1).LengthAsync(), static (session, length) => session.Reply.WriteInteger(length));
}
