using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>
/// UNSUBSCRIBE [channel ...]: every channel when none is named. A subscription ends before its
/// confirmation is written, so no message of the channel follows the confirmation.
/// </summary>
internal sealed class Unsubscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var grains = session.Server.Grains;
        await Unsubscriptions.RunAsync(
            session,
            session.Channels,
            "unsubscribe"u8.ToArray(),
            channel => grains.GetGrain<IChannelGrain>(channel).UnsubscribeAsync(session),
            () => session.ChannelSubscriptions + session.PatternSubscriptions).ConfigureAwait(false);
    }
}

/// <summary>SUNSUBSCRIBE [shardchannel ...].</summary>
internal sealed class SUnsubscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var grains = session.Server.Grains;
        await Unsubscriptions.RunAsync(
            session,
            session.ShardChannels,
            "sunsubscribe"u8.ToArray(),
            channel => grains.GetGrain<IShardChannelGrain>(channel).UnsubscribeAsync(session),
            () => session.ShardSubscriptions).ConfigureAwait(false);
    }
}

/// <summary>PUNSUBSCRIBE [pattern ...].</summary>
internal sealed class PUnsubscribe : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var index = session.Server.Grains.GetGrain<IPatternIndexGrain>(IPatternIndexGrain.Key);
        await Unsubscriptions.RunAsync(
            session,
            session.Patterns,
            "punsubscribe"u8.ToArray(),
            pattern => index.UnsubscribeAsync(pattern, session),
            () => session.ChannelSubscriptions + session.PatternSubscriptions).ConfigureAwait(false);
    }
}

/// <summary>What the three unsubscribe commands share.</summary>
internal static class Unsubscriptions
{
    public static async ValueTask RunAsync(
        RespSession session, HashSet<string> subscribed, byte[] kind, Func<string, ValueTask> leave, Func<int> count)
    {
        var args = session.Args;
        if (args.Count == 1)
        {
            if (subscribed.Count == 0)
            {
                SubscriptionReplies.Write(session.Reply, kind, default, hasName: false, count());
                return;
            }

            foreach (var name in subscribed.ToArray())
            {
                subscribed.Remove(name);
                await leave(name).ConfigureAwait(false);
                SubscriptionReplies.Write(session.Reply, kind, GrainKeys.ToBytes(name), hasName: true, count());
            }

            return;
        }

        for (var i = 1; i < args.Count; i++)
        {
            var name = GrainKeys.FromBytes(args[i]);
            if (subscribed.Remove(name))
            {
                await leave(name).ConfigureAwait(false);
            }

            SubscriptionReplies.Write(session.Reply, kind, args[i], hasName: true, count());
        }
    }
}
