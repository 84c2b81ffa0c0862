using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>
/// SUBSCRIBE channel [channel ...]. Each confirmation is queued before the subscription takes
/// effect, so it precedes the channel's first message.
/// </summary>
internal sealed class Subscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        for (var i = 1; i < args.Count; i++)
        {
            var channel = GrainKeys.FromBytes(args[i]);
            var added = session.Channels.Add(channel);
            SubscriptionReplies.Write(session.Reply, "subscribe"u8, args[i], hasName: true, session.ChannelSubscriptions + session.PatternSubscriptions);
            if (added)
            {
                session.CommitReplies();
                await session.Server.Grains.GetGrain<IChannelGrain>(channel).SubscribeAsync(session).ConfigureAwait(false);
            }
        }
    }
}
