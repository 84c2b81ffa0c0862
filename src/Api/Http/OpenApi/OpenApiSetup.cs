using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Platform.Api.Http.Channels;
using Platform.Api.Http.Problems;
using Platform.Api.Http.Streams;
using Platform.Api.Http.Subscribers;

namespace Platform.Api.Http.OpenApi;

/// <summary>The OpenAPI document (/openapi/v1.json): every endpoint with its schemas, and the API's conventions.</summary>
internal static class OpenApiSetup
{
    /// <summary>The document's route.</summary>
    public const string Route = "/openapi/{documentName}.json";

    // What flows on /ws and in the event streams: not request or response bodies, so described as components.
    private static readonly Type[] MessageSchemas =
        [typeof(WebSocketCommand), typeof(WebSocketReply), typeof(WebSocketError), typeof(ChannelMessage), typeof(SubscribedEvent), typeof(TailReady)];

    // The parameters of StreamAddress, which cannot carry [Description] (see there).
    private static readonly Dictionary<string, string> SharedParameters = new(StringComparer.Ordinal)
    {
        ["key"] = "The stream's name, UTF-8; a '/' in it is sent as %2F.",
        ["db"] = "The database, as SELECT numbers them; 0 by default.",
    };

    /// <summary>Registers the document and its description.</summary>
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options => options
            .AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter is OpenApiParameter { Description: null, Name: { } name } described && SharedParameters.TryGetValue(name, out var text))
                    {
                        described.Description = text;
                    }
                }

                return Task.CompletedTask;
            })
            .AddDocumentTransformer(async (document, context, cancellationToken) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Platform HTTP API",
                Version = "v1",
                Description = Description(),
            };
            foreach (var type in MessageSchemas)
            {
                document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken).ConfigureAwait(false));
            }
        }));

    /// <summary>
    /// The publish endpoint's body: any bytes in any media type, or JSON with the payload as text or
    /// base64. Written here because an Accepts declaration would also restrict the media types routed.
    /// </summary>
    public static async Task DescribePublishBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var json = await context.GetOrCreateSchemaAsync(typeof(PublishRequest), null, cancellationToken).ConfigureAwait(false);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The message: the body's bytes, whatever the media type, except application/json, which is a PublishRequest.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = json },
                ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
    }

    private static string Description()
    {
        var text = new StringBuilder();
        text.AppendLine("Redis Pub/Sub and Streams over HTTP, on the same grains as the RESP port: a message published on either reaches subscribers on both, and an HTTP and a RESP consumer of one group share its entries.");
        text.AppendLine();
        text.AppendLine("**Bytes.** Names and payloads are bytes. In a path or a query they are UTF-8 text ('/' in a path segment as %2F). In JSON, a byte string `x` is the string `x` when its bytes are valid UTF-8, else `xBase64` (standard base64); clients may send either. An entry's fields are an object (`fields`) when every name and value is UTF-8 and no name repeats, else a list of base64 `[name, value]` pairs (`fieldsBase64`).");
        text.AppendLine();
        text.AppendLine("**Errors** are problem details (RFC 7807, application/problem+json): `detail` is the RESP port's error text for the same failure and `code` its first word (ERR, NOGROUP, BUSYGROUP, MISCONF...). Types:");
        foreach (var kind in ProblemKind.All)
        {
            text.AppendLine($"- `{kind.Type}` ({kind.Status}): {kind.Title}");
        }

        text.AppendLine();
        text.AppendLine("**Durability.** Under appendfsync always, an answer that shows or confirms stream data comes only once that data is committed. While the store fails, writes are refused with 503 (MISCONF).");
        return text.ToString();
    }
}
