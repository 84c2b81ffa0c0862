using System.Globalization;
using System.Net;

namespace Platform.Client.Connections;

/// <summary>A parsed "host:port".</summary>
internal sealed class ServerEndPoint
{
    private ServerEndPoint(EndPoint endPoint, string text)
    {
        EndPoint = endPoint;
        Text = text;
    }

    /// <summary>The socket address.</summary>
    public EndPoint EndPoint { get; }

    private string Text { get; }

    /// <summary>Parses "host:port", "host" (port 6379) or "[v6]:port".</summary>
    public static ServerEndPoint Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        var text = value.Trim();
        string host;
        var port = 6379;
        var colon = text.LastIndexOf(':');
        if (text.StartsWith('[') && text.Contains(']'))
        {
            var close = text.IndexOf(']');
            host = text[1..close];
            if (close + 1 < text.Length)
            {
                port = ParsePort(text[(close + 2)..], value);
            }
        }
        else if (colon > 0 && text.IndexOf(':') == colon)
        {
            host = text[..colon];
            port = ParsePort(text[(colon + 1)..], value);
        }
        else
        {
            host = text;
        }

        EndPoint endPoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        return new ServerEndPoint(endPoint, FormattableString.Invariant($"{host}:{port}"));
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static int ParsePort(string text, string value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new FormatException($"'{value}' is not a valid endpoint (host:port).");
}
