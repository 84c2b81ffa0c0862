using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>DUMP key: the key's value as Redis 7.0 serializes it (RESTORE takes it here and on Redis), or null.</summary>
internal sealed class Dump : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(1).DumpAsync(), static (session, payload) =>
        {
            if (payload is null)
            {
                session.Reply.WriteNullBulk();
            }
            else
            {
                session.Reply.WriteBulk(payload);
            }
        });
}
