using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Platform.Silo.Hosting;
using Platform.Silo.Runtime;

namespace Platform.Silo.Testing;

/// <summary>
/// An in-process silo for tests (the role of Orleans's <c>TestCluster</c>): its own service provider, runtime and
/// hosted services, started and stopped with the test.
/// </summary>
/// <example>
/// <code>
/// await using var silo = await TestSilo.StartAsync(b => b.AddGrainsFromAssemblyOf&lt;MyGrain&gt;(), services => ..., time);
/// var grain = silo.GrainFactory.GetGrain&lt;IMyGrain&gt;("key");
/// </code>
/// </example>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hostedServices;
    private readonly GrainRuntime _runtime;
    private int _stopped;

    private TestSilo(ServiceProvider services, IHostedService[] hostedServices)
    {
        _services = services;
        _hostedServices = hostedServices;
        _runtime = services.GetRequiredService<GrainRuntime>();
        GrainFactory = services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>The silo's grain factory.</summary>
    public IGrainFactory GrainFactory { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>How many activations the directory holds now.</summary>
    public int ActivationCount => _runtime.Directory.Count;

    /// <summary>Builds and starts a silo.</summary>
    /// <param name="configureSilo">Registers grain assemblies and options.</param>
    /// <param name="configureServices">Adds services the grains need (and test probes).</param>
    /// <param name="timeProvider">The clock (a fake one, usually); <see cref="TimeProvider.System"/> if null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started silo; dispose it to stop it.</returns>
    public static async Task<TestSilo> StartAsync(
        Action<ISiloBuilder> configureSilo,
        Action<IServiceCollection>? configureServices = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configureSilo);
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddSilo(configureSilo);
        configureServices?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var hostedServices = provider.GetServices<IHostedService>().ToArray();
        foreach (var hostedService in hostedServices)
        {
            await hostedService.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        return new TestSilo(provider, hostedServices);
    }

    /// <summary>Whether the grain with <paramref name="key"/> has an activation now.</summary>
    /// <typeparam name="TGrainInterface">A grain interface of the grain.</typeparam>
    /// <param name="key">The grain's key.</param>
    /// <returns><see langword="true"/> if the directory holds an activation for it.</returns>
    public bool IsActive<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey =>
        _runtime.IsActive(typeof(TGrainInterface), key);

    /// <summary>Stops the hosted services (deactivating every grain). Idempotent.</summary>
    /// <param name="cancellationToken">Abandons waiting for deactivations.</param>
    /// <returns>A task that completes when the silo has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        for (var i = _hostedServices.Length - 1; i >= 0; i--)
        {
            await _hostedServices[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the silo and disposes its services.</summary>
    /// <returns>A task that completes when the silo is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
    }
}
