using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>RESET: the connection returns to the state of a new one (database 0, RESP2, no name...).</summary>
internal sealed class Reset : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        await session.ResetStateAsync().ConfigureAwait(false);
        session.Reply.WriteSimpleString("RESET"u8);
    }
}
