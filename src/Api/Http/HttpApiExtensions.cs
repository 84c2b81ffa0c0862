using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using Platform.Api.Configuration;
using Platform.Api.Http.Channels;
using Platform.Api.Http.Console;
using Platform.Api.Http.Groups;
using Platform.Api.Http.Health;
using Platform.Api.Http.OpenApi;
using Platform.Api.Http.Problems;
using Platform.Api.Http.Security;
using Platform.Api.Http.Streams;
using Platform.Api.Http.Subscribers;

namespace Platform.Api.Http;

/// <summary>
/// The HTTP API (ASP.NET Core minimal APIs) beside the RESP port, on the same grains: channels
/// (publish, SSE, WebSocket), streams, consumer groups, health, the OpenAPI document and the web
/// console.
/// </summary>
internal static class HttpApiExtensions
{
    /// <summary>Registers the HTTP API's services; call after AddRespServer.</summary>
    public static IServiceCollection AddHttpApi(this IServiceCollection services, ServerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.Section);
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.RespectNullableAnnotations = true;
            json.RespectRequiredConstructorParameters = true;

            // A name given twice (a stream entry's field, above all) would otherwise keep only its last value.
            json.AllowDuplicateProperties = false;
            json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });

        // A parameter or body that cannot be bound is the client's error, answered as a problem.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var details = context.ProblemDetails;
            if (details.Type?.StartsWith(ProblemKind.TypePrefix, StringComparison.Ordinal) != true)
            {
                var request = context.HttpContext.Request;
                var status = details.Status ?? context.HttpContext.Response.StatusCode;
                details.Detail ??= status switch
                {
                    StatusCodes.Status413PayloadTooLarge => ApiExceptionHandler.BodyTooLargeDetail,
                    StatusCodes.Status415UnsupportedMediaType => $"ERR {request.Method} {request.Path} does not take a body of type '{request.ContentType}'",
                    StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => $"ERR no endpoint answers {request.Method} {request.Path}",
                    _ => null,
                };
                Problem.Complete(details, ProblemKind.ForStatus(status));
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        services.AddApiDocument();
        return services;
    }

    /// <summary>Adds the HTTP API's middleware and endpoints; call after Build.</summary>
    public static WebApplication MapHttpApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBodySizeLimit();
        app.UsePasswordCheck();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

        ChannelEndpoints.Map(app);
        app.MapGet("/ws", WebSocketSession.RunAsync)
            .WithTags("Channels")
            .WithName("WebSocket")
            .WithSummary("Subscribe, unsubscribe, pattern-subscribe and publish on one WebSocket")
            .WithDescription(
                "Upgrade to a WebSocket, then send JSON commands (WebSocketCommand) and receive confirmations " +
                "(WebSocketReply), errors (WebSocketError) and messages (ChannelMessage), one JSON object per message. " +
                "A client too slow to read is disconnected past client-output-buffer-limit's pubsub limits.")
            .Produces(StatusCodes.Status101SwitchingProtocols)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        StreamEndpoints.Map(app);
        GroupEndpoints.Map(app);
        HealthEndpoints.Map(app);
        ConsoleEndpoints.Map(app);
        app.MapOpenApi(OpenApiSetup.Route);
        return app;
    }
}
