using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;
using Platform.Grains;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>
/// XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...] and XREADGROUP GROUP group
/// consumer [COUNT count] [BLOCK ms] [NOACK] STREAMS key [key ...] id [id ...]. What can be served
/// now is; otherwise, with BLOCK, the client waits as a waiter registered with every stream's
/// grain (no grain's turn waits), until an entry arrives, the timeout passes, or it leaves.
/// </summary>
internal sealed class XRead(bool group) : RespCommand
{
    public override async ValueTask ExecuteAsync(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        if (ParseOptions(session) is not { } options)
        {
            return;
        }

        var keys = (args.Count - options.StreamsIndex) / 2;
        var streams = new IStreamGrain[keys];
        var after = new StreamId?[keys];
        var newEntries = new bool[keys];
        for (var k = 0; k < keys; k++)
        {
            streams[k] = session.Stream(options.StreamsIndex + k);
            if (group && (keys > 1 || !IsValidId(args[options.StreamsIndex + keys + k])) &&
                !await streams[k].HasGroupAsync(options.Group!).ConfigureAwait(false))
            {
                StreamReplies.WriteNoKeyOrGroup(reply, args[options.StreamsIndex + k], args[options.GroupIndex], " in XREADGROUP with GROUP option"u8);
                return;
            }

            var id = args[options.StreamsIndex + keys + k];
            if (id.SequenceEqual("$"u8))
            {
                if (group)
                {
                    reply.WriteError(
                        "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."u8);
                    return;
                }
            }
            else if (id.SequenceEqual(">"u8))
            {
                if (!group)
                {
                    reply.WriteError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."u8);
                    return;
                }

                newEntries[k] = true;
            }
            else if (StreamIds.TryParse(id, 0, strict: true, out var parsed))
            {
                after[k] = parsed;
            }
            else
            {
                reply.WriteError(StreamReplies.InvalidId);
                return;
            }
        }

        var served = new List<(ReadOnlyMemory<byte> Name, StreamEntries Entries)>();
        for (var k = 0; k < keys; k++)
        {
            var name = args.Memory(options.StreamsIndex + k);
            if (group)
            {
                var request = new ReadGroupRequest(options.Group!, options.Consumer!, newEntries[k], after[k] ?? StreamId.Min, options.Count, options.NoAck);
                var result = await streams[k].ReadGroupAsync(request).ConfigureAwait(false);
                if (result.Error != StreamError.None)
                {
                    StreamReplies.WriteNoKeyOrGroup(reply, args[options.StreamsIndex + k], args[options.GroupIndex], " in XREADGROUP with GROUP option"u8);
                    return;
                }

                if (result.Entries is not null)
                {
                    served.Add((name, result.Entries));
                }
            }
            else
            {
                var (entries, lastId) = await streams[k].ReadAsync(after[k], options.Count).ConfigureAwait(false);
                after[k] ??= lastId;
                if (entries.Count > 0)
                {
                    served.Add((name, entries));
                }
            }
        }

        if (served.Count > 0)
        {
            StreamReplies.WriteStreams(reply, served);
            return;
        }

        if (options.TimeoutMs < 0 || !session.CanBlock)
        {
            reply.WriteNullArray();
            return;
        }

        await BlockAsync(session, options, streams, after).ConfigureAwait(false);
    }

    private async Task BlockAsync(RespSession session, Options options, IStreamGrain[] streams, StreamId?[] after)
    {
        var args = session.Args;
        var waiter = new StreamWaiter();
        for (var k = 0; k < streams.Length && waiter.IsWaiting; k++)
        {
            var name = GrainKeys.FromBytes(args[options.StreamsIndex + k]);
            var request = new WaitRequest(name, after[k] ?? StreamId.Min, options.Count, options.Group, options.Consumer, options.NoAck);
            await streams[k].BlockAsync(waiter, request).ConfigureAwait(false);
        }

        WaitOutcome outcome;
        try
        {
            outcome = await session.WaitAsync(waiter, options.TimeoutMs).ConfigureAwait(false);
        }
        finally
        {
            foreach (var stream in streams)
            {
                _ = stream.UnblockAsync(waiter);
            }
        }

        var reply = session.Reply;
        switch (outcome.Error)
        {
            case StreamError.KeyDeletedWhileBlocked:
                reply.WriteError("UNBLOCKED the stream key no longer exists"u8);
                return;
            case StreamError.GroupDestroyedWhileBlocked:
                reply.WriteError("NOGROUP the consumer group this client was blocked on no longer exists"u8);
                return;
            case StreamError.UnblockedByClient:
                reply.WriteError(Errors.UnblockedByClient);
                return;
        }

        if (outcome.Stream is null)
        {
            reply.WriteNullArray();
            return;
        }

        StreamReplies.WriteStreams(reply, [(GrainKeys.ToBytes(outcome.Stream), outcome.Entries!)]);
    }

    private static bool IsValidId(ReadOnlySpan<byte> id) =>
        id.SequenceEqual(">"u8) || StreamIds.TryParse(id, 0, strict: true, out _);

    private Options? ParseOptions(RespSession session)
    {
        var args = session.Args;
        var reply = session.Reply;
        long count = 0, timeout = -1;
        var streamsIndex = 0;
        var groupIndex = 0;
        var noAck = false;
        for (var i = 1; i < args.Count; i++)
        {
            var more = args.Count - i - 1;
            if (args.Is(i, "block"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out timeout))
                {
                    reply.WriteError(Errors.TimeoutNotInteger);
                    return null;
                }

                if (timeout < 0)
                {
                    reply.WriteError(Errors.TimeoutNegative);
                    return null;
                }
            }
            else if (args.Is(i, "count"u8) && more > 0)
            {
                if (!RedisNumbers.TryParseInt64(args[++i], out count))
                {
                    reply.WriteError(Errors.NotInteger);
                    return null;
                }

                count = Math.Max(0, count);
            }
            else if (args.Is(i, "streams"u8) && more > 0)
            {
                streamsIndex = i + 1;
                if ((args.Count - streamsIndex) % 2 != 0)
                {
                    reply.WriteError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."u8);
                    return null;
                }

                break;
            }
            else if (args.Is(i, "group"u8) && more >= 2)
            {
                if (!group)
                {
                    reply.WriteError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."u8);
                    return null;
                }

                groupIndex = i + 1;
                i += 2;
            }
            else if (args.Is(i, "noack"u8))
            {
                if (!group)
                {
                    reply.WriteError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."u8);
                    return null;
                }

                noAck = true;
            }
            else
            {
                reply.WriteError(Errors.Syntax);
                return null;
            }
        }

        if (streamsIndex == 0)
        {
            reply.WriteError(Errors.Syntax);
            return null;
        }

        if (group && groupIndex == 0)
        {
            reply.WriteError("ERR Missing GROUP option for XREADGROUP"u8);
            return null;
        }

        return new Options(
            streamsIndex,
            count,
            timeout,
            groupIndex,
            group ? GrainKeys.FromBytes(args[groupIndex]) : null,
            group ? GrainKeys.FromBytes(args[groupIndex + 1]) : null,
            noAck);
    }

    private sealed record Options(int StreamsIndex, long Count, long TimeoutMs, int GroupIndex, string? Group, string? Consumer, bool NoAck);
}
