using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Silo.Runtime;
using Platform.Silo.Storage;

namespace Platform.Silo.Hosting;

/// <summary>Adds the silo to a host's services.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime: <see cref="IGrainFactory"/>, the runtime, and a hosted service that starts activation
    /// collection and deactivates every grain when the host stops. Calling it again adds to the same silo.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Registers grain assemblies and options.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// Time comes from the registered <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one is
    /// registered), logging from <see cref="ILoggerFactory"/> if there is one. Grains can be called before the hosted
    /// service starts; only collection waits for it. Grain storage is in memory unless
    /// <see cref="SiloBuilderExtensions.UseGrainStorage"/> names a provider; its hosted service starts before the
    /// silo's and stops after it.
    /// </remarks>
    public static IServiceCollection AddSilo(this IServiceCollection services, Action<ISiloBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services
            .Where(d => d.ServiceType == typeof(SiloBuilder))
            .Select(d => d.ImplementationInstance)
            .OfType<SiloBuilder>()
            .FirstOrDefault();
        if (builder is null)
        {
            builder = new SiloBuilder(services);
            services.AddSingleton(builder);
            services.AddOptions();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(static provider => new GrainRuntime(
                provider,
                GrainRegistry.Build(provider.GetRequiredService<SiloBuilder>().Assemblies),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value,
                provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
            services.TryAddSingleton(static provider => provider.GetRequiredService<GrainRuntime>().GrainFactory);
            services.TryAddSingleton<ISiloStatistics>(static provider => provider.GetRequiredService<GrainRuntime>());
            services.TryAddSingleton<IGrainStorage, MemoryGrainStorage>();
            services.TryAddSingleton(static provider => new GrainJournal(
                provider.GetRequiredService<IGrainStorage>(),
                provider.GetRequiredService<IOptions<GrainStorageOptions>>().Value.Durability,
                provider.GetRequiredService<TimeProvider>(),
                (provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<GrainJournal>()));
            services.TryAddSingleton<IGrainJournal>(static provider => provider.GetRequiredService<GrainJournal>());
            services.AddHostedService<GrainStorageHostedService>();
            services.AddHostedService<SiloHostedService>();
        }

        configure?.Invoke(builder);
        return services;
    }
}
