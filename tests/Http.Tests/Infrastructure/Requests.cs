using System.Net;
using System.Text.Json;

namespace Platform.Http.Tests.Infrastructure;

/// <summary>Requests and the checks every test makes on answers.</summary>
internal static class Requests
{
    /// <summary>A JSON body.</summary>
    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>A JSON body given as text (to send broken JSON).</summary>
    public static StringContent RawJson(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>Sends and returns the status and the body parsed as JSON (null when empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        this HttpClient http, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await http.SendAsync(request, cancel.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancel.Token).ConfigureAwait(false);
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
        return (response.StatusCode, body, response);
    }

    /// <summary>GET, expecting 200; the body.</summary>
    public static async Task<JsonElement> GetOkAsync(this HttpClient http, string path)
    {
        var (status, body, _) = await http.SendAsync(HttpMethod.Get, path).ConfigureAwait(false);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return body;
    }

    /// <summary>POST JSON, expecting <paramref name="expected"/>; the body.</summary>
    public static async Task<JsonElement> PostAsync(this HttpClient http, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, reply, _) = await http.SendAsync(HttpMethod.Post, path, Json(body)).ConfigureAwait(false);
        Assert.True(status == expected, $"POST {path}: {(int)status} {reply}");
        return reply;
    }

    /// <summary>
    /// Checks a problem details answer: the status, application/problem+json, the type, a title,
    /// the RESP error text as detail (exactly, or its start when it ends with '*'), and its code.
    /// </summary>
    public static void AssertProblem(
        (HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) answer, int status, string type, string detail)
    {
        var (actual, body, response) = answer;
        Assert.True((int)actual == status, $"expected {status}, got {(int)actual}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:platform:problem:" + type, body.GetProperty("type").GetString());
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        var text = body.GetProperty("detail").GetString()!;
        if (detail.EndsWith('*'))
        {
            Assert.StartsWith(detail[..^1], text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(detail, text);
        }

        var code = text.Split(' ')[0];
        Assert.Equal(code.All(char.IsAsciiLetterUpper) ? code : "ERR", body.GetProperty("code").GetString());
    }

    /// <summary>Polls until <paramref name="condition"/> holds, at most <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50).ConfigureAwait(false);
        }
    }
}
