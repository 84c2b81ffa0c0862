using Platform.Api.Resp.Commands.Client;
using Platform.Api.Resp.Commands.Config;
using Platform.Api.Resp.Commands.Connection;
using Platform.Api.Resp.Commands.PubSub;
using Platform.Api.Resp.Commands.Server;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.Commands;

/// <summary>
/// Which class implements which command, by Redis's full name ("client|kill"). The metadata of
/// each is in Metadata/commands.json; <see cref="CommandTable.Create"/> checks the two agree.
/// </summary>
internal static class CommandCatalog
{
    /// <summary>Full name → implementation.</summary>
    public static IReadOnlyDictionary<string, RespCommand> Handlers { get; } = new Dictionary<string, RespCommand>
    {
        // Connection
        ["auth"] = new Auth(),
        ["echo"] = new Echo(),
        ["hello"] = new Hello(),
        ["ping"] = new Ping(),
        ["quit"] = new Quit(),
        ["reset"] = new Reset(),
        ["select"] = new Select(),
        ["client|getname"] = new ClientGetName(),
        ["client|help"] = new ClientHelp(),
        ["client|id"] = new ClientId(),
        ["client|info"] = new ClientInfo(),
        ["client|kill"] = new ClientKill(),
        ["client|list"] = new ClientList(),
        ["client|reply"] = new ClientReply(),
        ["client|setinfo"] = new ClientSetInfo(),
        ["client|setname"] = new ClientSetName(),

        // Pub/Sub
        ["psubscribe"] = new PSubscribe(),
        ["publish"] = new Publish(),
        ["pubsub|channels"] = new PubSubChannels(ChannelScope.Channel),
        ["pubsub|help"] = new PubSubHelp(),
        ["pubsub|numpat"] = new PubSubNumPat(),
        ["pubsub|numsub"] = new PubSubNumSub(ChannelScope.Channel),
        ["pubsub|shardchannels"] = new PubSubChannels(ChannelScope.Shard),
        ["pubsub|shardnumsub"] = new PubSubNumSub(ChannelScope.Shard),
        ["punsubscribe"] = new PUnsubscribe(),
        ["spublish"] = new SPublish(),
        ["ssubscribe"] = new SSubscribe(),
        ["subscribe"] = new Subscribe(),
        ["sunsubscribe"] = new SUnsubscribe(),
        ["unsubscribe"] = new Unsubscribe(),

        // Server
        ["command"] = new Command(),
        ["command|count"] = new CommandCount(),
        ["command|docs"] = new CommandDocs(),
        ["command|help"] = new CommandHelp(),
        ["command|info"] = new CommandInfo(),
        ["command|list"] = new CommandList(),
        ["config|get"] = new ConfigGet(),
        ["config|help"] = new ConfigHelp(),
        ["config|resetstat"] = new ConfigResetStat(),
        ["config|set"] = new ConfigSet(),
        ["info"] = new Info(),
        ["time"] = new Time(),
    };
}
