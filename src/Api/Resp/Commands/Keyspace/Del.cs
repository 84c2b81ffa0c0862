using Platform.Api.Resp.Connections;

namespace Platform.Api.Resp.Commands.Keyspace;

/// <summary>DEL key [key ...] and UNLINK key [key ...]: the number of keys removed.</summary>
internal sealed class Del : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        long deleted = 0;
        for (var i = 1; i < session.Args.Count; i++)
        {
            if (await session.Stream(i).DeleteAsync().ConfigureAwait(false))
            {
                deleted++;
            }
        }

        session.Reply.WriteInteger(deleted);
    }
}
