using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Api;

/// <summary>
/// requirepass on the HTTP port: API requests carry the password (Bearer, Basic as user default,
/// or access_token for EventSource and WebSocket) or get Redis's NOAUTH/WRONGPASS as a 401 problem;
/// probes and the console's files stay open; CONFIG SET requirepass takes effect at once.
/// </summary>
public sealed class PasswordTests : IAsyncLifetime
{
    private const string Password = "s3cret";
    private PlatformServer _server = null!;

    public async Task InitializeAsync() => _server = await PlatformServer.StartAsync("--requirepass", Password);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public Task Requests_without_the_password_get_noauth_and_a_wrong_one_wrongpass() => RunAsync(async http =>
    {
        var (status, body, response) = await http.SendAsync(HttpMethod.Get, "streams/s/length");
        Requests.AssertProblem((status, body, response), 401, "unauthorized", "NOAUTH Authentication required.");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        foreach (var header in (AuthenticationHeaderValue[])[new("Bearer", "wrong"), Basic("default", "wrong"), Basic("alice", Password), new("Digest", "x")])
        {
            Requests.AssertProblem(await SendAsync(http, HttpMethod.Get, "streams/s/length", header), 401, "unauthorized",
                "WRONGPASS invalid username-password pair or user is disabled.");
        }

        Requests.AssertProblem(await http.SendAsync(HttpMethod.Get, "streams/s/length?access_token=wrong"), 401, "unauthorized",
            "WRONGPASS invalid username-password pair or user is disabled.");
        Assert.Equal("0", await _server.RedisAsync("-a", Password, "--no-auth-warning", "DBSIZE"));
    });

    [Fact]
    public Task The_password_is_taken_as_bearer_basic_or_access_token() => RunAsync(async http =>
    {
        var added = await SendAsync(http, HttpMethod.Post, "streams/orders/entries", new("Bearer", Password), Requests.Json(new { id = "1-0", fields = new { a = "1" } }));
        Assert.Equal(HttpStatusCode.Created, added.Status);
        var length = await SendAsync(http, HttpMethod.Get, "streams/orders/length", Basic("default", Password));
        Assert.Equal(HttpStatusCode.OK, length.Status);
        Assert.Equal(1, length.Body.GetProperty("length").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(HttpMethod.Get, $"streams/orders/entries?access_token={Password}")).Status);

        await using var events = await SseClient.OpenAsync(http, $"channels/subscribe?channel=news&access_token={Password}");
        Assert.Equal("subscribed", (await events.NextAsync()).Name);

        using var refused = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(WebSocketUri(""), CancellationToken.None));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(WebSocketUri($"?access_token={Password}"), CancellationToken.None);
        Assert.Equal(WebSocketState.Open, socket.State);
    });

    [Fact]
    public Task Probes_the_document_and_the_console_files_stay_open_and_config_set_applies_at_once() => RunAsync(async http =>
    {
        foreach (var path in (string[])["health/live", "health/ready", "openapi/v1.json", "", "console.js", "console.css"])
        {
            Assert.True((await http.GetAsync(path)).IsSuccessStatusCode, path);
        }

        Assert.Equal("OK", await _server.RedisAsync("-a", Password, "--no-auth-warning", "CONFIG", "SET", "requirepass", ""));
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(HttpMethod.Get, "streams/s/length")).Status);

        Assert.Equal("OK", await _server.RedisAsync("CONFIG", "SET", "requirepass", "other"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, HttpMethod.Get, "streams/s/length", new("Bearer", Password))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "streams/s/length", new("Bearer", "other"))).Status);
    });

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpClient http, HttpMethod method, string path, AuthenticationHeaderValue authorization, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = authorization;
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
    }

    private Uri WebSocketUri(string query) => new(FormattableString.Invariant($"ws://127.0.0.1:{_server.HttpPort}/ws{query}"));

    private async Task RunAsync(Func<HttpClient, Task> test)
    {
        try
        {
            await test(_server.Http);
        }
        catch (Exception e)
        {
            throw new ServerTestFailure($"{e.Message}\n\n--- server log ---\n{_server.Log()}", e);
        }
    }
}
