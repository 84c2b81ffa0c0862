using System.Buffers;
using System.ComponentModel;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Platform.Api.Http.Problems;
using Platform.Api.Http.Subscribers;
using Platform.Api.Server;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>
/// GET /streams/{key}/tail: the stream's new entries as server-sent events, each with the entry ID
/// as its event id, so a browser that reconnects (sending Last-Event-ID) resumes exactly after the
/// last entry it saw. A loop of XREAD: what is there is sent in batches; then the tail blocks as a
/// waiter on the stream's grain until an XADD brings more, sending a keep-alive comment whenever a
/// wait runs out. A batch is read only once the previous one was written, so a slow client holds
/// no more than one batch.
/// </summary>
internal static class StreamTail
{
    /// <summary>Runs the tail until the client goes.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> RunAsync(
        HttpContext context,
        string key, int? db,
        [Description("Start after this entry ID; '$' (the default) for new entries only, '0' for all. Last-Event-ID wins over it.")] string? after,
        [Description("At most this many entries per read (100 by default).")] long? count,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        ServerContext server,
        IOptions<HttpApiOptions> options,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var address = new StreamAddress(key, db);
        var start = lastEventId ?? after ?? "$";
        StreamId? position = null;
        var batch = count ?? 100;
        if (batch <= 0)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR 'count' must be > 0");
        }

        if (start != "$")
        {
            if (!StreamArguments.TryParseId(start, out var id, out var problem))
            {
                return problem;
            }

            position = id;
        }

        var stream = address.Grain(server.Grains);
        var aborted = context.RequestAborted;
        var output = context.Response.BodyWriter;
        var serializer = json.Value.SerializerOptions;
        try
        {
            var (entries, lastId) = await stream.ReadAsync(position, batch).ConfigureAwait(false);
            position ??= lastId;
            ServerSentEvents.Start(context);
            WriteEvent(output, position.Value.ToString(), "ready"u8, JsonSerializer.SerializeToUtf8Bytes(new TailReady(position.Value.ToString()), serializer));
            while (!aborted.IsCancellationRequested)
            {
                if (entries.Count > 0)
                {
                    // Under appendfsync always, nothing is shown before it is committed.
                    await server.Persistence.Journal.BarrierAsync().ConfigureAwait(false);
                    for (var i = 0; i < entries.Count; i++)
                    {
                        var entry = Entries.ToJson(entries, i);
                        WriteEvent(output, entry.Id, "entry"u8, JsonSerializer.SerializeToUtf8Bytes(entry, serializer));
                    }

                    position = entries.Id(entries.Count - 1);
                }

                var flushed = await output.FlushAsync(aborted).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }

                (entries, _) = await stream.ReadAsync(position, batch).ConfigureAwait(false);
                if (entries.Count > 0)
                {
                    continue;
                }

                var request = new WaitRequest(address.GrainName, position.Value, batch, null, null, NoAck: false);
                var outcome = await StreamWaits.WaitAsync(stream, request, options.Value.KeepAliveInterval, server.Time, aborted).ConfigureAwait(false);
                if (outcome.Entries is { } arrived)
                {
                    entries = arrived;
                }
                else
                {
                    output.Write(ServerSentEvents.KeepAlive);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client went away.
        }

        return TypedResults.Empty;
    }

    private static void WriteEvent(PipeWriter output, string id, ReadOnlySpan<byte> name, byte[] data)
    {
        output.Write("id: "u8);
        output.Write(Encoding.UTF8.GetBytes(id));
        output.Write("\nevent: "u8);
        output.Write(name);
        output.Write("\ndata: "u8);
        output.Write(data);
        output.Write("\n\n"u8);
    }
}

/// <summary>The first event of a tail.</summary>
/// <param name="After">The entry ID the tail starts after (what '$' stood for, or the ID given).</param>
internal sealed record TailReady(string After);
