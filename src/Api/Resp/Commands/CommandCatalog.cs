using Platform.Api.Resp.Commands.Client;
using Platform.Api.Resp.Commands.Config;
using Platform.Api.Resp.Commands.Connection;
using Platform.Api.Resp.Commands.Keyspace;
using Platform.Api.Resp.Commands.PubSub;
using Platform.Api.Resp.Commands.Server;
using Platform.Api.Resp.Commands.Streams;
using Platform.Api.Resp.Commands.Transactions;
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
        ["client|no-evict"] = new ClientNoEvict(),
        ["client|reply"] = new ClientReply(),
        ["client|setinfo"] = new ClientSetInfo(),
        ["client|setname"] = new ClientSetName(),
        ["client|unblock"] = new ClientUnblock(),

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

        // Keyspace
        ["copy"] = new Copy(),
        ["dbsize"] = new DbSize(),
        ["del"] = new Del(),
        ["dump"] = new Dump(),
        ["exists"] = new Exists(),
        ["expire"] = new Expire(ExpireUnit.RelativeSeconds),
        ["expireat"] = new Expire(ExpireUnit.AbsoluteSeconds),
        ["expiretime"] = new Ttl(milliseconds: false, absolute: true),
        ["flushall"] = new Flush(all: true),
        ["flushdb"] = new Flush(all: false),
        ["keys"] = new Keys(),
        ["move"] = new Move(),
        ["object|encoding"] = ObjectOfKey.Encoding,
        ["object|freq"] = ObjectOfKey.Freq,
        ["object|help"] = new ObjectHelp(),
        ["object|idletime"] = new ObjectIdleTime(),
        ["object|refcount"] = ObjectOfKey.RefCount,
        ["persist"] = new Persist(),
        ["pexpire"] = new Expire(ExpireUnit.RelativeMilliseconds),
        ["pexpireat"] = new Expire(ExpireUnit.AbsoluteMilliseconds),
        ["pexpiretime"] = new Ttl(milliseconds: true, absolute: true),
        ["pttl"] = new Ttl(milliseconds: true, absolute: false),
        ["randomkey"] = new RandomKey(),
        ["rename"] = new Rename(onlyIfNew: false),
        ["renamenx"] = new Rename(onlyIfNew: true),
        ["restore"] = new Restore(),
        ["scan"] = new Scan(),
        ["touch"] = new Touch(),
        ["ttl"] = new Ttl(milliseconds: false, absolute: false),
        ["type"] = new TypeCommand(),
        ["unlink"] = new Del(),

        // Streams
        ["xack"] = new XAck(),
        ["xadd"] = new XAdd(),
        ["xautoclaim"] = new XAutoClaim(),
        ["xclaim"] = new XClaim(),
        ["xdel"] = new XDel(),
        ["xgroup|create"] = new XGroupCreate(setId: false),
        ["xgroup|createconsumer"] = new XGroupConsumer(create: true),
        ["xgroup|delconsumer"] = new XGroupConsumer(create: false),
        ["xgroup|destroy"] = new XGroupDestroy(),
        ["xgroup|help"] = new XGroupHelp(),
        ["xgroup|setid"] = new XGroupCreate(setId: true),
        ["xinfo|consumers"] = new XInfoConsumers(),
        ["xinfo|groups"] = new XInfoGroups(),
        ["xinfo|help"] = new XInfoHelp(),
        ["xinfo|stream"] = new XInfoStream(),
        ["xlen"] = new XLen(),
        ["xpending"] = new XPending(),
        ["xrange"] = new XRange(reverse: false),
        ["xread"] = new XRead(group: false),
        ["xreadgroup"] = new XRead(group: true),
        ["xrevrange"] = new XRange(reverse: true),
        ["xsetid"] = new XSetId(),
        ["xtrim"] = new XTrim(),

        // Transactions
        ["discard"] = new Discard(),
        ["exec"] = new Exec(),
        ["multi"] = new Multi(),
        ["unwatch"] = new Unwatch(),
        ["watch"] = new Watch(),

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
        ["memory|help"] = new MemoryHelp(),
        ["memory|usage"] = new MemoryUsage(),
        ["monitor"] = new MonitorCommand(),
        ["role"] = new Role(),
        ["slowlog|get"] = new SlowLogGet(),
        ["slowlog|help"] = new SlowLogHelp(),
        ["slowlog|len"] = new SlowLogLen(),
        ["slowlog|reset"] = new SlowLogReset(),
        ["time"] = new Time(),
        ["wait"] = new Wait(),

        // Persistence
        ["save"] = new Save(),
        ["shutdown"] = new Shutdown(),
        ["bgsave"] = new BackgroundSave(),
        ["lastsave"] = new LastSave(),
    };
}
