using System.Net.Http.Headers;
using Platform.Api.Configuration;
using Platform.Api.Http.Problems;
using Platform.Api.Resp.Commands.Connection;

namespace Platform.Api.Http.Security;

/// <summary>
/// requirepass on the HTTP port: while a password is set (on the command line or by CONFIG SET, in
/// force at once), every API request must carry it, as the RESP port's AUTH does, else a 401
/// problem with Redis's NOAUTH or WRONGPASS text. It is taken from <c>Authorization: Bearer
/// &lt;password&gt;</c>, <c>Authorization: Basic</c> (user <c>default</c>), or, for browsers'
/// EventSource and WebSocket which cannot set headers, an <c>access_token</c> query parameter.
/// The health probes, the OpenAPI document and the console's static files stay open: they show no data.
/// </summary>
internal static class PasswordCheck
{
    /// <summary>The query parameter a browser's EventSource or WebSocket passes the password in.</summary>
    public const string QueryParameter = "access_token";

    private const string NoAuth = "NOAUTH Authentication required.";
    private const string WrongPass = "WRONGPASS invalid username-password pair or user is disabled.";

    /// <summary>Adds the middleware.</summary>
    public static IApplicationBuilder UsePasswordCheck(this IApplicationBuilder app)
    {
        var config = app.ApplicationServices.GetRequiredService<ServerConfig>();
        return app.Use(async (context, next) =>
        {
            if (config.RequirePass.Length == 0 || IsOpen(context.Request.Path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var failure = Check(config, context.Request);
            if (failure is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"platform\"";
            await Problem.Of(ProblemKind.Unauthorized, failure).ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    private static bool IsOpen(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi")
        || path == "/" || path == "/console.css" || path == "/console.js";

    // Null when the request carries the password; else the error text.
    private static string? Check(ServerConfig config, HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Parameter is { } parameter)
        {
            if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return Verdict(config, "default", parameter);
            }

            if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && TryDecodeBasic(parameter, out var user, out var password))
            {
                return Verdict(config, user, password);
            }

            return WrongPass;
        }

        return request.Query.TryGetValue(QueryParameter, out var token) && token.Count == 1
            ? Verdict(config, "default", token[0] ?? "")
            : NoAuth;
    }

    private static string? Verdict(ServerConfig config, string user, string password) =>
        Credentials.Check(config, Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password)) ? null : WrongPass;

    private static bool TryDecodeBasic(string parameter, out string user, out string password)
    {
        user = password = "";
        Span<byte> bytes = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}
