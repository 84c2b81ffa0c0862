using System.Net.Http.Headers;
using System.Text.Json;

namespace Platform.Http.Tests.Infrastructure;

/// <summary>One server-sent event: its id (null when none), its name ("message" by default) and data.</summary>
internal sealed record SseEvent(string? Id, string Name, string Data)
{
    /// <summary>The data parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Data).RootElement;
}

/// <summary>
/// An event stream read line by line over a real connection, as EventSource reads it; comments
/// (keep-alives) are counted, not returned.
/// </summary>
internal sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    /// <summary>Comment lines seen (": keep-alive").</summary>
    public int Comments { get; private set; }

    /// <summary>The response (status, headers).</summary>
    public HttpResponseMessage Response => _response;

    /// <summary>Opens <paramref name="path"/> (relative to the server), with Last-Event-ID when given.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancel.Token).ConfigureAwait(false);
        return new SseClient(response, body);
    }

    /// <summary>The next event; throws <see cref="TimeoutException"/> if none arrives in time, and at the end of the stream.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        string? id = null;
        var name = "message";
        var data = new StringBuilder();
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cancel.Token).ConfigureAwait(false)
                    ?? throw new EndOfStreamException("The event stream ended.");
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        return new SseEvent(id, name, data.ToString(0, data.Length - 1));
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    Comments++;
                    continue;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id":
                        id = value;
                        break;
                    case "event":
                        name = value;
                        break;
                    case "data":
                        data.Append(value).Append('\n');
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No event arrived in time.");
        }
    }

    /// <summary>Waits until a comment line arrives (a keep-alive).</summary>
    public async Task WaitForCommentAsync(TimeSpan timeout)
    {
        var seen = Comments;
        using var cancel = new CancellationTokenSource(timeout);
        while (Comments == seen)
        {
            var line = await _reader.ReadLineAsync(cancel.Token).ConfigureAwait(false) ?? throw new EndOfStreamException();
            if (line.StartsWith(':'))
            {
                Comments++;
            }
        }
    }

    /// <summary>Whether the server ends the stream within <paramref name="timeout"/> (events before the end are skipped).</summary>
    public async Task<bool> EndsWithinAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _reader.ReadLineAsync(cancel.Token).ConfigureAwait(false) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
