using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XINFO STREAM key [FULL [COUNT count]]. The key is looked up before the options are read.</summary>
internal sealed class XInfoStream : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var stream = session.Stream(2);
        if (!await stream.ExistsAsync().ConfigureAwait(false))
        {
            reply.WriteError("ERR no such key"u8);
            return;
        }

        var options = args.Count - 3;
        long count = 10;
        if (options is 1 or 3)
        {
            if (!args.Is(3, "full"u8) || (options == 3 && !args.Is(4, "count"u8)))
            {
                SubcommandErrors.WriteSyntaxError(session);
                return;
            }

            if (options == 3)
            {
                if (!RedisNumbers.TryParseInt64(args[5], out count))
                {
                    reply.WriteError(Errors.NotInteger);
                    return;
                }

                if (count < 0)
                {
                    count = 10;
                }
            }
        }
        else if (options != 0)
        {
            SubcommandErrors.WriteSyntaxError(session);
            return;
        }

        if (options == 0)
        {
            if (await stream.InfoAsync().ConfigureAwait(false) is not { } summary)
            {
                reply.WriteError("ERR no such key"u8);
                return;
            }

            reply.WriteMapHeader(10);
            WriteHead(reply, summary);
            reply.WriteBulk("groups"u8);
            reply.WriteInteger(summary.Groups);
            WriteEdge(reply, "first-entry"u8, summary.Entries, 0);
            WriteEdge(reply, "last-entry"u8, summary.Entries, summary.Entries.Count - 1);
            return;
        }

        if (await stream.InfoFullAsync(count).ConfigureAwait(false) is not { } detail)
        {
            reply.WriteError("ERR no such key"u8);
            return;
        }

        reply.WriteMapHeader(9);
        WriteHead(reply, detail.Stream);
        reply.WriteBulk("entries"u8);
        StreamReplies.WriteEntries(reply, detail.Stream.Entries);
        reply.WriteBulk("groups"u8);
        reply.WriteArrayHeader(detail.Groups.Count);
        foreach (var group in detail.Groups)
        {
            reply.WriteMapHeader(7);
            reply.WriteBulk("name"u8);
            reply.WriteBulk(GrainKeys.ToBytes(group.Summary.Name));
            reply.WriteBulk("last-delivered-id"u8);
            StreamIds.Write(reply, group.Summary.LastDeliveredId);
            XInfoGroups.WriteReadAndLag(reply, group.Summary);
            reply.WriteBulk("pel-count"u8);
            reply.WriteInteger(group.PendingCount);
            reply.WriteBulk("pending"u8);
            reply.WriteArrayHeader(group.Pending.Count);
            foreach (var entry in group.Pending)
            {
                reply.WriteArrayHeader(4);
                StreamIds.Write(reply, entry.Id);
                reply.WriteBulk(GrainKeys.ToBytes(entry.Consumer));
                reply.WriteInteger(entry.DeliveryTimeMs);
                reply.WriteInteger(entry.DeliveryCount);
            }

            reply.WriteBulk("consumers"u8);
            reply.WriteArrayHeader(group.Consumers.Count);
            foreach (var consumer in group.Consumers)
            {
                reply.WriteMapHeader(4);
                reply.WriteBulk("name"u8);
                reply.WriteBulk(GrainKeys.ToBytes(consumer.Name));
                reply.WriteBulk("seen-time"u8);
                reply.WriteInteger(consumer.SeenTimeMs);
                reply.WriteBulk("pel-count"u8);
                reply.WriteInteger(consumer.PendingCount);
                reply.WriteBulk("pending"u8);
                reply.WriteArrayHeader(consumer.Pending.Count);
                foreach (var entry in consumer.Pending)
                {
                    reply.WriteArrayHeader(3);
                    StreamIds.Write(reply, entry.Id);
                    reply.WriteInteger(entry.DeliveryTimeMs);
                    reply.WriteInteger(entry.DeliveryCount);
                }
            }
        }
    }

    private static void WriteHead(ReplyWriter reply, StreamSummary summary)
    {
        reply.WriteBulk("length"u8);
        reply.WriteInteger(summary.Length);
        reply.WriteBulk("radix-tree-keys"u8);
        reply.WriteInteger(summary.RadixTreeKeys);
        reply.WriteBulk("radix-tree-nodes"u8);
        reply.WriteInteger(summary.RadixTreeNodes);
        reply.WriteBulk("last-generated-id"u8);
        StreamIds.Write(reply, summary.LastGeneratedId);
        reply.WriteBulk("max-deleted-entry-id"u8);
        StreamIds.Write(reply, summary.MaxDeletedEntryId);
        reply.WriteBulk("entries-added"u8);
        reply.WriteInteger(summary.EntriesAdded);
        reply.WriteBulk("recorded-first-entry-id"u8);
        StreamIds.Write(reply, summary.RecordedFirstEntryId);
    }

    private static void WriteEdge(ReplyWriter reply, ReadOnlySpan<byte> name, StreamEntries entries, int index)
    {
        reply.WriteBulk(name);
        if (index < 0 || index >= entries.Count)
        {
            reply.WriteNullBulk();
        }
        else
        {
            StreamReplies.WriteEntry(reply, entries, index);
        }
    }
}

/// <summary>XINFO GROUPS key.</summary>
internal sealed class XInfoGroups : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).GroupsAsync(), static (session, groups) =>
        {
            var reply = session.Reply;
            if (groups is null)
            {
                reply.WriteError("ERR no such key"u8);
                return;
            }

            reply.WriteArrayHeader(groups.Length);
            foreach (var group in groups)
            {
                reply.WriteMapHeader(6);
                reply.WriteBulk("name"u8);
                reply.WriteBulk(GrainKeys.ToBytes(group.Name));
                reply.WriteBulk("consumers"u8);
                reply.WriteInteger(group.Consumers);
                reply.WriteBulk("pending"u8);
                reply.WriteInteger(group.Pending);
                reply.WriteBulk("last-delivered-id"u8);
                StreamIds.Write(reply, group.LastDeliveredId);
                WriteReadAndLag(reply, group);
            }
        });

    /// <summary>entries-read and lag, each null when unknown.</summary>
    public static void WriteReadAndLag(ReplyWriter reply, GroupSummary group)
    {
        reply.WriteBulk("entries-read"u8);
        WriteOptional(reply, group.EntriesRead);
        reply.WriteBulk("lag"u8);
        WriteOptional(reply, group.Lag);
    }

    private static void WriteOptional(ReplyWriter reply, long? value)
    {
        if (value is { } number)
        {
            reply.WriteInteger(number);
        }
        else
        {
            reply.WriteNullBulk();
        }
    }
}

/// <summary>XINFO CONSUMERS key group.</summary>
internal sealed class XInfoConsumers : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).ConsumersAsync(GrainKeys.FromBytes(session.Args[3])), static (session, result) =>
        {
            var reply = session.Reply;
            switch (result.Error)
            {
                case StreamError.NoKey:
                    reply.WriteError("ERR no such key"u8);
                    return;
                case StreamError.NoGroup:
                    StreamReplies.WriteNoGroupForKey(reply, session.Args[2], session.Args[3]);
                    return;
            }

            reply.WriteArrayHeader(result.Consumers.Length);
            foreach (var consumer in result.Consumers)
            {
                reply.WriteMapHeader(3);
                reply.WriteBulk("name"u8);
                reply.WriteBulk(GrainKeys.ToBytes(consumer.Name));
                reply.WriteBulk("pending"u8);
                reply.WriteInteger(consumer.Pending);
                reply.WriteBulk("idle"u8);
                reply.WriteInteger(consumer.IdleMs);
            }
        });
}

/// <summary>XINFO HELP.</summary>
internal sealed class XInfoHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "XINFO", Lines);
}
