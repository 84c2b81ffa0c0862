using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] and XGROUP SETID key group id|$
/// [ENTRIESREAD n], checked in Redis's order: options, then the key, then (SETID) the group,
/// then the ID.
/// </summary>
internal sealed class XGroupCreate(bool setId) : RespCommand
{
    // Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown.
    private const long UnknownEntriesRead = -1;

    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        var makeStream = false;
        var entriesRead = UnknownEntriesRead;
        if (!ParseOptions(session, ref makeStream, ref entriesRead))
        {
            return;
        }

        var stream = session.Stream(2);
        var group = GrainKeys.FromBytes(args[3]);
        StreamId? id = null;
        if (!args[4].SequenceEqual("$"u8))
        {
            // SETID takes "-" and "+" too; CREATE does not.
            if (!StreamIds.TryParse(args[4], 0, strict: !setId, out var parsed))
            {
                if (!await stream.ExistsAsync().ConfigureAwait(false) && !(makeStream && !setId))
                {
                    XGroupErrors.WriteKeyRequired(reply);
                }
                else if (setId && !await stream.HasGroupAsync(group).ConfigureAwait(false))
                {
                    StreamReplies.WriteNoGroupForKey(reply, session.Args[2], session.Args[3]);
                }
                else
                {
                    reply.WriteError(StreamReplies.InvalidId);
                }

                return;
            }

            id = parsed;
        }

        var error = setId
            ? await stream.SetGroupIdAsync(group, id, entriesRead).ConfigureAwait(false)
            : await stream.CreateGroupAsync(group, id, makeStream, entriesRead).ConfigureAwait(false);
        switch (error)
        {
            case StreamError.None:
                reply.WriteOk();
                break;
            case StreamError.GroupExists:
                reply.WriteError("BUSYGROUP Consumer Group name already exists"u8);
                break;
            case StreamError.NoGroup:
                StreamReplies.WriteNoGroupForKey(reply, session.Args[2], session.Args[3]);
                break;
            default:
                XGroupErrors.WriteKeyRequired(reply);
                break;
        }
    }

    private bool ParseOptions(RespSession session, ref bool makeStream, ref long entriesRead)
    {
        var args = session.Args;
        if (setId)
        {
            if (args.Count == 7)
            {
                if (!args.Is(5, "entriesread"u8))
                {
                    SubcommandErrors.WriteSyntaxError(session);
                    return false;
                }

                return TryParseEntriesRead(session.Reply, args[6], out entriesRead);
            }

            if (args.Count != 5)
            {
                SubcommandErrors.WriteSyntaxError(session);
                return false;
            }

            return true;
        }

        for (var i = 5; i < args.Count;)
        {
            if (args.Is(i, "mkstream"u8))
            {
                makeStream = true;
                i++;
            }
            else if (args.Is(i, "entriesread"u8) && i + 1 < args.Count)
            {
                if (!TryParseEntriesRead(session.Reply, args[i + 1], out entriesRead))
                {
                    return false;
                }

                i += 2;
            }
            else
            {
                SubcommandErrors.WriteSyntaxError(session);
                return false;
            }
        }

        return true;
    }

    private static bool TryParseEntriesRead(ReplyWriter reply, ReadOnlySpan<byte> text, out long entriesRead)
    {
        if (!RedisNumbers.TryParseInt64(text, out entriesRead))
        {
            reply.WriteError(Errors.NotInteger);
            return false;
        }

        if (entriesRead < 0 && entriesRead != UnknownEntriesRead)
        {
            reply.WriteError("ERR value for ENTRIESREAD must be positive or -1"u8);
            return false;
        }

        return true;
    }
}

/// <summary>XGROUP DESTROY key group: 1 if destroyed, else 0.</summary>
internal sealed class XGroupDestroy : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session) =>
        Reply(session, session.Stream(2).DestroyGroupAsync(GrainKeys.FromBytes(session.Args[3])), static (session, result) =>
        {
            if (result.Error == StreamError.None)
            {
                session.Reply.WriteInteger(result.Destroyed);
            }
            else
            {
                XGroupErrors.WriteKeyRequired(session.Reply);
            }
        });
}

/// <summary>XGROUP CREATECONSUMER key group consumer (1 if created) and XGROUP DELCONSUMER key group consumer (its pending count).</summary>
internal sealed class XGroupConsumer(bool create) : RespCommand
{
    public override ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var stream = session.Stream(2);
        var group = GrainKeys.FromBytes(args[3]);
        var consumer = GrainKeys.FromBytes(args[4]);
        var pending = create ? stream.CreateConsumerAsync(group, consumer) : stream.DeleteConsumerAsync(group, consumer);
        return Reply(session, pending, static (session, result) =>
        {
            switch (result.Item1)
            {
                case StreamError.None:
                    session.Reply.WriteInteger(result.Item2);
                    break;
                case StreamError.NoGroup:
                    StreamReplies.WriteNoGroupForKey(session.Reply, session.Args[2], session.Args[3]);
                    break;
                default:
                    XGroupErrors.WriteKeyRequired(session.Reply);
                    break;
            }
        });
    }
}

/// <summary>XGROUP HELP.</summary>
internal sealed class XGroupHelp : SyncRespCommand
{
    private static readonly string[] Lines =
    [
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
    ];

    protected override void Execute(RespSession session) => HelpReply.Write(session.Reply, "XGROUP", Lines);
}

/// <summary>XGROUP's error for a missing key.</summary>
internal static class XGroupErrors
{
    public static void WriteKeyRequired(ReplyWriter reply) => reply.WriteError(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."u8);
}
