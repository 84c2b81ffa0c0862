using Microsoft.Extensions.Logging;
using Platform.Silo.Hosting;

namespace Platform.Silo.Runtime;

/// <summary>
/// Deactivates activations idle for longer than <see cref="GrainCollectionOptions.CollectionAge"/>: a timer on the
/// injected clock sweeps the directory every <see cref="GrainCollectionOptions.CollectionQuantum"/>.
/// </summary>
/// <remarks>
/// Calls only set a flag; a sweep records the time it first sees an activation unused, so an activation is collected
/// between one age and one age plus two quanta after its last call.
/// </remarks>
internal sealed partial class ActivationCollector : IDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly TimeSpan _quantum;
    private readonly long _ageTicks;
    private readonly ILogger _logger;
    private ITimer? _timer;
    private int _sweeping;

    public ActivationCollector(GrainRuntime runtime, GrainCollectionOptions options, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CollectionAge, TimeSpan.Zero, nameof(options.CollectionAge));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CollectionQuantum, TimeSpan.Zero, nameof(options.CollectionQuantum));
        _runtime = runtime;
        _quantum = options.CollectionQuantum;
        _ageTicks = options.CollectionAge.Ticks;
        _logger = logger;
    }

    public void Start() =>
        _timer ??= _runtime.TimeProvider.CreateTimer(static state => ((ActivationCollector)state!).Sweep(), this, _quantum, _quantum);

    public void Stop() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer?.Dispose();

    private void Sweep()
    {
        // A slow sweep must not overlap the next one.
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }

        try
        {
            var now = _runtime.NowTicks();
            var collected = 0;
            foreach (var activation in _runtime.Directory.Activations)
            {
                if (activation.TryCollect(now, _ageTicks))
                {
                    collected++;
                }
            }

            if (collected > 0)
            {
                LogCollecting(_logger, collected);
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }
}
