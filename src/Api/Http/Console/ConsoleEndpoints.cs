namespace Platform.Api.Http.Console;

/// <summary>
/// The web console at /: plain HTML, CSS and JavaScript embedded in the assembly (so it is there
/// however the server is started), using only this API. Its Content-Security-Policy allows this
/// origin alone: the page fetches nothing from elsewhere.
/// </summary>
internal static class ConsoleEndpoints
{
    private const string Policy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly (string Path, string Resource, string ContentType)[] Assets =
    [
        ("/", "console/index.html", "text/html; charset=utf-8"),
        ("/console.css", "console/console.css", "text/css; charset=utf-8"),
        ("/console.js", "console/console.js", "text/javascript; charset=utf-8"),
    ];

    /// <summary>Maps the console's files.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var console = routes.MapGroup("").WithTags("Console");
        foreach (var (path, resource, contentType) in Assets)
        {
            var content = Load(resource);
            console.MapGet(path, (HttpContext context) =>
                {
                    context.Response.Headers.CacheControl = "no-cache";
                    context.Response.Headers.ContentSecurityPolicy = Policy;
                    context.Response.Headers.XContentTypeOptions = "nosniff";
                    return TypedResults.Bytes(content, contentType);
                })
                .WithName("Console" + (path == "/" ? "Page" : Path.GetExtension(path).TrimStart('.').ToUpperInvariant()))
                .WithSummary($"The web console: {resource["console/".Length..]}")
                .Produces(StatusCodes.Status200OK, contentType: contentType.Split(';')[0]);
        }
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The console's resource {resource} is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
