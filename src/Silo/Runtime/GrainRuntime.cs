using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Platform.Silo.Hosting;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// The silo's runtime: the grain classes and interfaces registered, the directory, the collector, the clock and the
/// service provider grains are built from. One per service provider.
/// </summary>
internal sealed partial class GrainRuntime : ISiloStatistics, IDisposable
{
    private readonly FrozenDictionary<Type, GrainInterfaceBinding> _interfaces;
    private readonly FrozenDictionary<Type, Func<IObserverMailbox, ObserverReference>> _observerReferences;
    private readonly FrozenDictionary<Type, GrainClass> _grainClasses;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ActivationCollector _collector;
    private readonly ILogger _logger;
    private readonly long _origin;
    private volatile bool _isStopping;

    public GrainRuntime(
        IServiceProvider services,
        GrainRegistry registry,
        TimeProvider timeProvider,
        GrainCollectionOptions collectionOptions,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Services = services;
        TimeProvider = timeProvider;
        GrainFactory = new GrainFactory(this);
        ActivationLogger = loggerFactory.CreateLogger<ActivationData>();
        ObserverLogger = loggerFactory.CreateLogger<Observers.ObserverMailbox>();
        _logger = loggerFactory.CreateLogger<GrainRuntime>();
        _origin = timeProvider.GetTimestamp();

        _grainClasses = registry.GrainClasses.Values
            .ToFrozenDictionary(r => r.GrainClass, r => new GrainClass(this, r.GrainClass, r.Activator));
        _interfaces = registry.Proxies
            .ToFrozenDictionary(p => p.Key, p => Bind(p.Key, p.Value, registry));
        _observerReferences = registry.ObserverReferences.ToFrozenDictionary();
        _collector = new ActivationCollector(this, collectionOptions, loggerFactory.CreateLogger<ActivationCollector>());
    }

    public IServiceProvider Services { get; }

    public TimeProvider TimeProvider { get; }

    public IGrainFactory GrainFactory { get; }

    public ActivationDirectory Directory { get; } = new();

    public int ActivationCount => Directory.Count;

    public ILogger ActivationLogger { get; }

    public ILogger ObserverLogger { get; }

    /// <summary>Passed to <c>OnActivateAsync</c>; cancelled when the silo stops.</summary>
    public CancellationToken StoppingToken => _stopping.Token;

    /// <summary>The runtime's monotonic time, in ticks since it started (from the injected clock).</summary>
    public long NowTicks() => TimeProvider.GetElapsedTime(_origin).Ticks;

    public void ThrowIfStopping()
    {
        if (_isStopping)
        {
            throw new InvalidOperationException("The silo is stopping: no new activations are created.");
        }
    }

    public GrainInterfaceBinding GetBinding(Type grainInterface)
    {
        if (!_interfaces.TryGetValue(grainInterface, out var binding))
        {
            throw new InvalidOperationException(
                $"No grain proxy is registered for '{grainInterface}': register the assembly of a grain class that " +
                "implements it with AddGrains (its generated manifest brings the proxy).");
        }

        return binding.GrainClass is null ? throw new InvalidOperationException(binding.Error) : binding;
    }

    public Func<IObserverMailbox, ObserverReference> GetObserverReferenceFactory(Type observerInterface) =>
        _observerReferences.TryGetValue(observerInterface, out var factory)
            ? factory
            : throw new InvalidOperationException(
                $"No observer reference is registered for '{observerInterface}': register an assembly that defines " +
                "it (or one that references it) with AddGrains.");

    /// <summary>The activation of a grain, if it has one now (diagnostics and tests).</summary>
    public bool IsActive(Type grainInterface, string key) =>
        GetBinding(grainInterface).GrainClass is { } grainClass && Directory.TryGet(new GrainId(grainClass, key), out _);

    public void Start() => _collector.Start();

    /// <summary>Deactivates every activation (reason <see cref="DeactivationReasonCode.ShuttingDown"/>) and creates no more.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _isStopping = true;
        _collector.Stop();
        _stopping.Cancel();

        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is stopping.");

        // Repeat: an activation created just before the flag was set may be missed by one pass.
        while (Directory.Count > 0)
        {
            var deactivations = Directory.Activations.Select(a => a.RequestDeactivation(reason)).ToList();
            LogStopping(_logger, deactivations.Count);
            await Task.WhenAll(deactivations).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _collector.Dispose();
        _stopping.Dispose();
    }

    private GrainInterfaceBinding Bind(Type grainInterface, Func<GrainReferenceShared, string, GrainReference> factory, GrainRegistry registry)
    {
        var implementations = registry.GrainClasses.Values
            .Where(r => r.GrainInterfaces.Contains(grainInterface))
            .Select(r => _grainClasses[r.GrainClass])
            .ToList();
        return implementations.Count switch
        {
            1 => new GrainInterfaceBinding(factory, implementations[0], null),
            0 => new GrainInterfaceBinding(factory, null,
                $"No grain class implementing '{grainInterface}' is registered: register the grains' assembly with AddGrains."),
            _ => new GrainInterfaceBinding(factory, null,
                $"Several grain classes implement '{grainInterface}' ({string.Join(", ", implementations.Select(c => c.GrainType))}): " +
                "get the grain through an interface only one of them implements."),
        };
    }
}
