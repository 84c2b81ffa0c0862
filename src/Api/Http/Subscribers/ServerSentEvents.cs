using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Platform.Api.Http.Subscribers;

/// <summary>The text/event-stream response: its headers, keep-alives, and the pump from an outbox.</summary>
internal static class ServerSentEvents
{
    /// <summary>The media type.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>A comment line: ignored by EventSource, it keeps proxies from closing a quiet stream.</summary>
    public static ReadOnlySpan<byte> KeepAlive => ": keep-alive\n\n"u8;

    /// <summary>Sets the headers of an event stream, unbuffered.</summary>
    public static void Start(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>
    /// Appends a keep-alive comment to <paramref name="outbox"/> every <paramref name="interval"/>
    /// in which nothing else was queued. Dispose the timer to stop.
    /// </summary>
    public static ITimer StartKeepAlive(SubscriberOutbox outbox, TimeProvider time, TimeSpan interval) =>
        time.CreateTimer(
            static state =>
            {
                var outbox = (SubscriberOutbox)state!;
                if (!outbox.TakeActivityMark())
                {
                    outbox.Append(KeepAlive);
                }
            },
            outbox,
            interval,
            interval);

    /// <summary>Sends what the outbox accumulates, one write per take, until it closes or the client goes.</summary>
    public static async Task PumpAsync(SubscriberOutbox outbox, PipeWriter output)
    {
        while (true)
        {
            var chunk = await outbox.TakeAsync().ConfigureAwait(false);
            if (chunk.IsEmpty)
            {
                return;
            }

            FlushResult flushed;
            try
            {
                flushed = await output.WriteAsync(chunk.Memory).ConfigureAwait(false);
            }
            finally
            {
                outbox.Sent(chunk);
            }

            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return;
            }
        }
    }
}
