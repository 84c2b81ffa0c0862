using Platform.Api.Resp.Connections;
using Platform.Grains;
using Platform.Grains.Matching;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>PUBSUB CHANNELS [pattern] and PUBSUB SHARDCHANNELS [pattern]: channels with subscribers.</summary>
internal sealed class PubSubChannels(ChannelScope scope) : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        if (args.Count > 3)
        {
            SubcommandErrors.WriteSyntaxError(session);
            return;
        }

        var pattern = args.Count == 3 ? args[2].ToArray() : null;
        var channels = session.Server.Publisher.Registry.Channels(scope)
            .Select(GrainKeys.ToBytes)
            .Where(name => pattern is null || GlobPattern.IsMatch(pattern, name))
            .ToList();
        session.Reply.WriteArrayHeader(channels.Count);
        foreach (var channel in channels)
        {
            session.Reply.WriteBulk(channel);
        }
    }
}

/// <summary>PUBSUB NUMSUB [channel ...] and PUBSUB SHARDNUMSUB [channel ...]: name and subscriber count of each.</summary>
internal sealed class PubSubNumSub(ChannelScope scope) : SyncRespCommand
{
    protected override void Execute(RespSession session)
    {
        var args = session.Args;
        var registry = session.Server.Publisher.Registry;
        session.Reply.WriteArrayHeader((args.Count - 2) * 2);
        for (var i = 2; i < args.Count; i++)
        {
            session.Reply.WriteBulk(args[i]);
            session.Reply.WriteInteger(registry.SubscriberCount(scope, GrainKeys.FromBytes(args[i])));
        }
    }
}

/// <summary>PUBSUB NUMPAT: the number of distinct subscribed patterns.</summary>
internal sealed class PubSubNumPat : SyncRespCommand
{
    protected override void Execute(RespSession session) =>
        session.Reply.WriteInteger(session.Server.Publisher.Registry.PatternCount);
}

/// <summary>PUBSUB HELP.</summary>
internal sealed class PubSubHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "PUBSUB", Lines);
}
