namespace Platform.Api.Http;

/// <summary>
/// The HTTP API's settings, from the configuration section <c>http</c> (command line
/// <c>--http:MaxBodyBytes 2097152</c>, appsettings.json <c>"http": { ... }</c>).
/// </summary>
internal sealed class HttpApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "http";

    /// <summary>The largest request body, and the largest WebSocket message, in bytes (413 past it).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Seconds between keep-alive comments on a quiet SSE stream (proxies close idle connections).</summary>
    public double KeepAliveSeconds { get; set; } = 15;

    /// <summary>The keep-alive period.</summary>
    public TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(Math.Max(0.01, KeepAliveSeconds));
}
