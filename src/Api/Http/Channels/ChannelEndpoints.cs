using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Platform.Api.Http.Json;
using Platform.Api.Http.OpenApi;
using Platform.Api.Http.Problems;
using Platform.Api.Http.Streams;
using Platform.Api.Http.Subscribers;
using Platform.Api.Server;
using Platform.Grains;
using Platform.Grains.PubSub;

namespace Platform.Api.Http.Channels;

/// <summary>
/// Pub/Sub over HTTP: publish (the same PUBLISH as the RESP port's, so RESP, SSE and WebSocket
/// subscribers all receive it), the channels with subscribers, and subscription by server-sent
/// events.
/// </summary>
internal static partial class ChannelEndpoints
{
    /// <summary>Maps the /channels endpoints.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var channels = routes.MapGroup("/channels").WithTags("Channels");

        channels.MapGet("", List)
            .WithName("ListChannels")
            .WithSummary("Channels with subscribers (PUBSUB CHANNELS, NUMSUB, NUMPAT)");

        channels.MapPost("/{channel}/messages", PublishAsync)
            .WithName("Publish")
            .WithSummary("Publish a message (PUBLISH)")
            .WithDescription(
                "The body is the message: any bytes, in any media type but JSON. With application/json the body is " +
                "{\"data\": text} or {\"dataBase64\": base64}. The reply counts the subscribers that received it, as PUBLISH does.")
            .AddOpenApiOperationTransformer(OpenApiSetup.DescribePublishBodyAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        channels.MapGet("/subscribe", SubscribeAsync)
            .WithName("Subscribe")
            .WithSummary("Subscribe to channels and patterns by server-sent events")
            .WithDescription(
                "An event stream: first 'subscribed' (data: SubscribedEvent) once every subscription is in effect, then " +
                "'message' and 'pmessage' events (data: ChannelMessage), and ': keep-alive' comments on a quiet stream. " +
                "A client too slow to read is disconnected past client-output-buffer-limit's pubsub limits.")
            .Produces<ChannelMessage>(StatusCodes.Status200OK, ServerSentEvents.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static Ok<ChannelList> List(ServerContext server, [Description("Only channels matching this glob pattern.")] string? pattern)
    {
        var registry = server.Publisher.Registry;
        var glob = pattern is null ? null : Encoding.UTF8.GetBytes(pattern);
        var channels = registry.Channels(ChannelScope.Channel)
            .Select(key => (Key: key, Bytes: GrainKeys.ToBytes(key)))
            .Where(c => glob is null || Platform.Grains.Matching.GlobPattern.IsMatch(glob, c.Bytes))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new ChannelInfo(ByteText.TextOrNull(c.Bytes), ByteText.Base64OrNull(c.Bytes), registry.SubscriberCount(ChannelScope.Channel, c.Key)))
            .ToList();
        return TypedResults.Ok(new ChannelList(channels, registry.PatternCount));
    }

    private static async Task<Results<Ok<PublishResponse>, ProblemHttpResult>> PublishAsync(
        [Description("The channel, UTF-8; a '/' in it is sent as %2F.")] string channel,
        HttpRequest request,
        ServerContext server,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        ReadOnlyMemory<byte> payload;
        if (request.HasJsonContentType())
        {
            var body = await request.ReadFromJsonAsync<PublishRequest>(json.Value.SerializerOptions, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                return Problem.Of(ProblemKind.InvalidJson, "ERR the body must be a JSON object");
            }

            if (!ByteText.TryRead(body.Data, body.DataBase64, "data", out var bytes, out var error))
            {
                return Problem.Of(ProblemKind.BadRequest, error);
            }

            payload = bytes;
        }
        else
        {
            payload = await Bodies.ReadAllAsync(request).ConfigureAwait(false);
        }

        var name = Encoding.UTF8.GetBytes(RouteNames.Decode(channel));
        var receivers = await server.Publisher.PublishAsync(name, payload).ConfigureAwait(false);
        return TypedResults.Ok(new PublishResponse(receivers));
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> SubscribeAsync(
        HttpContext context,
        [Description("A channel to subscribe to; repeat for more.")] string[]? channel,
        [Description("A glob pattern of channels to subscribe to (PSUBSCRIBE); repeat for more.")] string[]? pattern,
        ServerContext server,
        IOptions<HttpApiOptions> options,
        ILogger<HttpSubscriber> logger)
    {
        channel ??= [];
        pattern ??= [];
        if (channel.Length + pattern.Length == 0)
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR give at least one 'channel' or 'pattern' query parameter");
        }

        using var aborter = new ConnectionAborter(context.Abort);
        var address = context.Connection.RemoteIpAddress + ":" + context.Connection.RemotePort;
        var outbox = new SubscriberOutbox(new OutputLimitCheck(server.Config.OutputBufferLimits), pending =>
        {
            server.Stats.OutputBufferLimitDisconnection();
            Log.OutputBufferLimit(logger, address, pending);
            aborter.AbortSoon();
        });
        var subscriber = new HttpSubscriber(server, outbox, DeliveryEncoding.ServerSentEvent, MessageFrames.ServerSentEvent);
        ServerSentEvents.Start(context);

        // The 'subscribed' event is queued first and sent once every subscription is in effect.
        outbox.Hold();
        outbox.Append(SubscribedEvent(channel.Distinct(StringComparer.Ordinal).ToList(), pattern.Distinct(StringComparer.Ordinal).ToList()));
        try
        {
            foreach (var name in channel)
            {
                await subscriber.SubscribeAsync(SubscriptionKind.Channel, name).ConfigureAwait(false);
            }

            foreach (var name in pattern)
            {
                await subscriber.SubscribeAsync(SubscriptionKind.Pattern, name).ConfigureAwait(false);
            }

            outbox.Release();
            using var closeOnAbort = context.RequestAborted.Register(static o => ((SubscriberOutbox)o!).Close(), outbox);
            using var keepAlive = ServerSentEvents.StartKeepAlive(outbox, server.Time, options.Value.KeepAliveInterval);
            await ServerSentEvents.PumpAsync(outbox, context.Response.BodyWriter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client went away.
        }
        finally
        {
            outbox.Close();
            await subscriber.UnsubscribeAllAsync().ConfigureAwait(false);
        }

        return TypedResults.Empty;
    }

    private static byte[] SubscribedEvent(List<string> channels, List<string> patterns)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new SubscribedEvent(channels, patterns), SubscribedEventOptions);
        return [.. "event: subscribed\ndata: "u8, .. json, .. "\n\n"u8];
    }

    private static readonly JsonSerializerOptions SubscribedEventOptions = new(JsonSerializerDefaults.Web);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "SSE subscriber {Address} closed for overcoming of output buffer limits ({Bytes} bytes pending)")]
        public static partial void OutputBufferLimit(ILogger logger, string address, long bytes);
    }
}
