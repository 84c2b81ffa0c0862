using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>SSUBSCRIBE shardchannel [shardchannel ...]: as SUBSCRIBE, for shard channels.</summary>
internal sealed class SSubscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        for (var i = 1; i < args.Count; i++)
        {
            var channel = GrainKeys.FromBytes(args[i]);
            var added = session.ShardChannels.Add(channel);
            SubscriptionReplies.Write(session.Reply, "ssubscribe"u8, args[i], hasName: true, session.ShardSubscriptions);
            if (added)
            {
                session.CommitReplies();
                await session.Server.Grains.GetGrain<IShardChannelGrain>(channel).SubscribeAsync(session).ConfigureAwait(false);
            }
        }
    }
}
