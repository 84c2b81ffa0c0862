using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Client;

/// <summary>Registers <see cref="PlatformClient"/> in a service collection.</summary>
public static class PlatformClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PlatformClient"/> whose <see cref="PlatformClientOptions"/> are
    /// bound from <paramref name="configuration"/> (a section such as "Platform": <c>Endpoint</c>,
    /// <c>User</c>, <c>Password</c>, <c>Database</c>, <c>ClientName</c>, <c>ConnectTimeout</c>,
    /// <c>CommandTimeout</c>, <c>ReconnectTimeout</c>, <c>Reconnect:BaseDelay</c>, <c>Reconnect:MaxDelay</c>).
    /// </summary>
    public static IServiceCollection AddPlatformClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PlatformClientOptions>().Bind(configuration);
        return AddClient(services);
    }

    /// <summary>Registers a singleton <see cref="PlatformClient"/> configured in code.</summary>
    public static IServiceCollection AddPlatformClient(this IServiceCollection services, Action<PlatformClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PlatformClientOptions>().Configure(configure);
        return AddClient(services);
    }

    private static IServiceCollection AddClient(IServiceCollection services)
    {
        services.TryAddSingleton(provider => new PlatformClient(
            provider.GetRequiredService<IOptions<PlatformClientOptions>>().Value,
            provider.GetService<ILoggerFactory>()));
        return services;
    }
}
