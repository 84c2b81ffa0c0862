using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Platform.Api.Hosting;

/// <summary>
/// Kestrel's listening sockets: the HTTP endpoints of <c>--urls</c>. The RESP port is
/// <see cref="Resp.Connections.RespListener"/>'s.
/// </summary>
internal static class Endpoints
{
    /// <summary>The HTTP address when none is configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Declares the HTTP endpoints.</summary>
    public static void Listen(KestrelServerOptions kestrel, string? urls)
    {
        foreach (var url in (urls ?? DefaultUrls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var uri = new Uri(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
            if (uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new InvalidOperationException($"Only http:// URLs are supported ('{url}'); put TLS in front of the platform.");
            }

            if (uri.Host == "localhost")
            {
                kestrel.ListenLocalhost(uri.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
            }
        }
    }
}
