using Microsoft.OpenApi;
using Platform.Http.Tests.Infrastructure;

namespace Platform.Http.Tests.Api;

/// <summary>/openapi/v1.json, read back with Microsoft.OpenApi's reader: valid, and describing every endpoint.</summary>
public sealed class OpenApiDocumentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    // Every route the API maps, with its methods.
    private static readonly string[] Routes =
    [
        "GET /channels",
        "POST /channels/{channel}/messages",
        "GET /channels/subscribe",
        "GET /ws",
        "POST /streams/{key}/entries",
        "GET /streams/{key}/entries",
        "GET /streams/{key}/entries/{id}",
        "DELETE /streams/{key}/entries/{id}",
        "GET /streams/{key}",
        "DELETE /streams/{key}",
        "GET /streams/{key}/length",
        "POST /streams/{key}/trim",
        "GET /streams/{key}/tail",
        "GET /streams/{key}/groups",
        "POST /streams/{key}/groups",
        "DELETE /streams/{key}/groups/{group}",
        "PUT /streams/{key}/groups/{group}/last-delivered-id",
        "POST /streams/{key}/groups/{group}/consumers/{consumer}/read",
        "POST /streams/{key}/groups/{group}/ack",
        "GET /streams/{key}/groups/{group}/pending",
        "GET /streams/{key}/groups/{group}/pending/entries",
        "POST /streams/{key}/groups/{group}/claim",
        "POST /streams/{key}/groups/{group}/autoclaim",
        "GET /streams/{key}/groups/{group}/consumers",
        "DELETE /streams/{key}/groups/{group}/consumers/{consumer}",
        "GET /health/live",
        "GET /health/ready",
        "GET /",
        "GET /console.css",
        "GET /console.js",
    ];

    [Fact]
    public Task The_document_parses_without_errors_and_lists_every_route() => fixture.RunAsync(async server =>
    {
        var document = await LoadAsync(server);
        var listed = document.Paths.SelectMany(path => path.Value.Operations!.Select(op => $"{op.Key.Method} {path.Key}")).Order().ToList();
        Assert.Equal(Routes.Order(), listed);
        Assert.Equal("Platform HTTP API", document.Info.Title);
    });

    [Fact]
    public Task Every_operation_is_named_summarized_and_its_errors_are_problem_details() => fixture.RunAsync(async server =>
    {
        var document = await LoadAsync(server);
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations!)
            {
                var name = $"{method.Method} {path}";
                Assert.False(string.IsNullOrEmpty(operation.OperationId), name);
                Assert.False(string.IsNullOrEmpty(operation.Summary), name);
                Assert.NotEmpty(operation.Tags!);
                foreach (var (status, response) in operation.Responses!)
                {
                    // Readiness answers 503 with its health report, as orchestrators expect.
                    var isError = status.StartsWith('4') || status.StartsWith('5');
                    if (isError && path != "/health/ready")
                    {
                        var content = Assert.Single(response.Content!);
                        Assert.Equal("application/problem+json", content.Key);
                        Assert.Equal("ProblemDetails", Assert.IsType<OpenApiSchemaReference>(content.Value.Schema).Reference.Id);
                    }
                }

                if (path.StartsWith("/streams/", StringComparison.Ordinal))
                {
                    Assert.Contains("400", operation.Responses.Keys);
                    Assert.Contains("500", operation.Responses.Keys);
                }

                if (method == HttpMethod.Post || method == HttpMethod.Put)
                {
                    var body = operation.RequestBody;
                    Assert.True(body is not null || path.EndsWith("/read", StringComparison.Ordinal), $"{name} has no request body");
                    if (body is not null)
                    {
                        Assert.Contains("application/json", body.Content!.Keys);
                        Assert.NotNull(body.Content["application/json"].Schema);
                    }
                }
            }
        }
    });

    [Fact]
    public Task Schemas_describe_the_bodies_the_events_and_the_websocket_messages() => fixture.RunAsync(async server =>
    {
        var document = await LoadAsync(server);
        var schemas = document.Components!.Schemas!;
        foreach (var name in (string[])[
            "AddEntryRequest", "StreamEntry", "EntryPage", "StreamInfo", "TrimSpec", "CreateGroupRequest", "GroupInfo", "ClaimEntriesRequest",
            "AutoClaimResponse", "PendingSummaryResponse", "PublishResponse", "ChannelMessage", "SubscribedEvent", "TailReady",
            "WebSocketCommand", "WebSocketReply", "WebSocketError", "ProblemDetails", "HealthResponse"])
        {
            Assert.True(schemas.ContainsKey(name), $"no schema {name}");
        }

        var entry = schemas["StreamEntry"];
        Assert.Equal(["deleted", "fields", "fieldsBase64", "id"], entry.Properties!.Keys.Order());
        Assert.Contains("id", entry.Required!);

        var publish = document.Paths["/channels/{channel}/messages"].Operations![HttpMethod.Post].RequestBody!.Content!;
        Assert.Equal(["application/json", "application/octet-stream", "text/plain"], publish.Keys.Order());

        var tail = document.Paths["/streams/{key}/tail"].Operations![HttpMethod.Get].Responses!["200"].Content!;
        Assert.Contains("text/event-stream", tail.Keys);

        foreach (var type in (string[])["no-such-group", "id-too-small", "invalid-stream-id", "storage-failing", "body-too-large"])
        {
            Assert.Contains("urn:platform:problem:" + type, document.Info.Description, StringComparison.Ordinal);
        }
    });

    private static async Task<OpenApiDocument> LoadAsync(PlatformServer server)
    {
        var json = await server.Http.GetStringAsync("openapi/v1.json");
        var result = OpenApiDocument.Parse(json, "json");
        Assert.Empty(result.Diagnostic!.Errors);
        return result.Document!;
    }
}
