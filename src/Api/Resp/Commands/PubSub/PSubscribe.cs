using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>PSUBSCRIBE pattern [pattern ...]: messages of every channel matching a glob pattern.</summary>
internal sealed class PSubscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var index = session.Server.Grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key);
        for (var i = 1; i < args.Count; i++)
        {
            var pattern = GrainKeys.FromBytes(args[i]);
            var added = session.Patterns.Add(pattern);
            SubscriptionReplies.Write(session.Reply, "psubscribe"u8, args[i], hasName: true, session.ChannelSubscriptions + session.PatternSubscriptions);
            if (added)
            {
                session.CommitReplies();
                await index.SubscribeAsync(pattern, session).ConfigureAwait(false);
            }
        }
    }
}
