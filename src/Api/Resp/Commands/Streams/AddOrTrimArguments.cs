using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>XADD's and XTRIM's options, parsed as Redis's streamParseAddOrTrimArgsOrReply does.</summary>
internal static class AddOrTrimArguments
{
    /// <summary>Redis's default LIMIT of an approximate trim: 100 × stream-node-max-entries.</summary>
    public const long DefaultApproximateLimit = 10_000;

    /// <summary>What was parsed.</summary>
    public readonly record struct Parsed(int IdIndex, TrimRequest Trim, bool NoMakeStream, StreamId Id, IdMode Mode);

    /// <summary>
    /// Parses from argument 2; for XADD, up to and including the ID. Returns null after writing
    /// the error.
    /// </summary>
    public static Parsed? Parse(RespSession session, bool xadd)
    {
        var args = session.Args;
        var reply = session.Reply;
        var strategy = TrimStrategy.None;
        long maxLength = -1, limit = 0;
        var minId = StreamId.Min;
        bool approximate = false, limitGiven = false, noMakeStream = false;
        var id = StreamId.Min;
        var mode = IdMode.Auto;

        var i = 2;
        for (; i < args.Count; i++)
        {
            var more = args.Count - 1 - i;
            if (xadd && args[i].SequenceEqual("*"u8))
            {
                break;
            }

            if ((args.Is(i, "maxlen"u8) || args.Is(i, "minid"u8)) && more > 0)
            {
                if (strategy != TrimStrategy.None)
                {
                    reply.WriteError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible"u8);
                    return null;
                }

                var isMaxLength = args.Is(i, "maxlen"u8);
                approximate = false;
                if (more >= 2 && args[i + 1].SequenceEqual("~"u8))
                {
                    approximate = true;
                    i++;
                }
                else if (more >= 2 && args[i + 1].SequenceEqual("="u8))
                {
                    i++;
                }

                if (isMaxLength)
                {
                    if (!RedisNumbers.TryParseInt64(args[i + 1], out maxLength))
                    {
                        reply.WriteError(Errors.NotInteger);
                        return null;
                    }

                    if (maxLength < 0)
                    {
                        reply.WriteError("ERR The MAXLEN argument must be >= 0."u8);
                        return null;
                    }

                    strategy = TrimStrategy.MaxLength;
                }
                else
                {
                    if (!StreamIds.TryParse(args[i + 1], 0, strict: true, out minId))
                    {
                        reply.WriteError(StreamReplies.InvalidId);
                        return null;
                    }

                    strategy = TrimStrategy.MinId;
                }

                i++;
            }
            else if (args.Is(i, "limit"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[i + 1], out limit))
                {
                    reply.WriteError(Errors.NotInteger);
                    return null;
                }

                if (limit < 0)
                {
                    reply.WriteError("ERR The LIMIT argument must be >= 0."u8);
                    return null;
                }

                limitGiven = true;
                i++;
            }
            else if (xadd && args.Is(i, "nomkstream"u8))
            {
                noMakeStream = true;
            }
            else if (xadd)
            {
                if (!StreamIds.TryParse(args[i], 0, strict: true, allowAutoSequence: true, out id, out var sequenceGiven))
                {
                    reply.WriteError(StreamReplies.InvalidId);
                    return null;
                }

                mode = sequenceGiven ? IdMode.Explicit : IdMode.AutoSequence;
                break;
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return null;
            }
        }

        if (limit != 0 && strategy == TrimStrategy.None)
        {
            reply.WriteError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"u8);
            return null;
        }

        if (!xadd && strategy == TrimStrategy.None)
        {
            reply.WriteError("ERR syntax error, XTRIM must be called with a trimming strategy"u8);
            return null;
        }

        if (limitGiven)
        {
            if (!approximate)
            {
                reply.WriteError("ERR syntax error, LIMIT cannot be used without the special ~ option"u8);
                return null;
            }
        }
        else
        {
            limit = approximate ? DefaultApproximateLimit : 0;
        }

        return new Parsed(i, new TrimRequest(strategy, maxLength, minId, approximate, limit), noMakeStream, id, mode);
    }
}
