using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Server;

/// <summary>TIME: seconds and microseconds since the epoch.</summary>
internal sealed class Time : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var now = session.Server.Time.GetUtcNow();
        var microseconds = (now - DateTimeOffset.UnixEpoch).Ticks / 10;
        session.Reply.WriteArrayHeader(2);
        session.Reply.WriteBulk(microseconds / 1_000_000);
        session.Reply.WriteBulk(microseconds % 1_000_000);
    }
}
