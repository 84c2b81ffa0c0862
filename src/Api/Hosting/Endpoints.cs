using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Platform.Api.Configuration;
using Platform.Api.Resp.Connections;

namespace Platform.Api.Hosting;

/// <summary>
/// The listening sockets: the RESP port on each <c>bind</c> address, and the HTTP endpoints of
/// <c>--urls</c>. Both are declared here because Kestrel ignores <c>urls</c> once any endpoint is
/// declared in code.
/// </summary>
internal static class Endpoints
{
    /// <summary>The HTTP address when none is configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>Declares the RESP and HTTP endpoints.</summary>
    public static void Listen(KestrelServerOptions kestrel, ServerConfig config, string? urls)
    {
        foreach (var bind in config.Bind)
        {
            kestrel.Listen(ParseBindAddress(bind), config.Port, listen => listen.UseConnectionHandler<RespConnectionHandler>());
        }

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

    // Redis's bind: an address, "*" for every IPv4 address, "::*" for every IPv6 one; a leading
    // '-' marks an address that may be missing, which Kestrel cannot express, so it is dropped.
    private static IPAddress ParseBindAddress(string bind)
    {
        var address = bind.TrimStart('-');
        return address switch
        {
            "*" => IPAddress.Any,
            "::*" => IPAddress.IPv6Any,
            _ => IPAddress.TryParse(address, out var ip)
                ? ip
                : throw new InvalidOperationException($"Bad value for 'bind': '{bind}' is not an IP address."),
        };
    }
}
