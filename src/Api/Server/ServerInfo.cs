using System.Reflection;

namespace Platform.Api.Server;

/// <summary>What the server says of itself.</summary>
internal static class ServerInfo
{
    /// <summary>
    /// The Redis version whose behaviour the RESP port reproduces (the reference for our
    /// differential tests); clients read it to decide which commands they may use.
    /// </summary>
    public const string RedisVersion = "7.0.15";

    /// <summary>This platform's own version.</summary>
    public static string PlatformVersion { get; } =
        typeof(ServerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
