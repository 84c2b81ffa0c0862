using System.Runtime.ExceptionServices;
using Platform.Silo.Invocation;

namespace Platform.Silo.Runtime;

/// <summary>
/// A registered grain class in one runtime: what all references to its grains share, and the one place where the
/// directory is consulted and activations are created.
/// </summary>
internal sealed class GrainClass : GrainReferenceShared
{
    public GrainClass(GrainRuntime runtime, Type grainType, Func<IServiceProvider, Grain> activator)
    {
        Runtime = runtime;
        GrainType = grainType;
        Activator = activator;
    }

    public GrainRuntime Runtime { get; }

    public override Type GrainType { get; }

    public Func<IServiceProvider, Grain> Activator { get; }

    public override InvocationTarget Resolve(string key, InvocationTarget? current) =>
        current is ActivationData { Status: not ActivationStatus.Deactivated } live ? live : GetOrActivate(key);

    /// <summary>
    /// Returns the grain's activation, creating and activating one inline (on this thread) if there is none.
    /// </summary>
    /// <exception cref="Exception">The new activation failed synchronously: its exception, for the first caller.</exception>
    public ActivationData GetOrActivate(string key)
    {
        var id = new GrainId(this, key);
        while (true)
        {
            if (Runtime.Directory.TryGet(id, out var existing))
            {
                return existing;
            }

            Runtime.ThrowIfStopping();
            var created = new ActivationData(this, key);
            if (!Runtime.Directory.TryAdd(id, created))
            {
                // Another caller created it first: use theirs.
                continue;
            }

            if (created.Activate() is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            return created;
        }
    }

    /// <summary>Delivers a queued item to the grain's current activation (creating one if needed).</summary>
    /// <param name="key">The grain's key.</param>
    /// <param name="item">The item.</param>
    /// <param name="stale">An activation that refused the item, or <see langword="null"/>.</param>
    public void Route(string key, WorkItem item, ActivationData? stale)
    {
        while (true)
        {
            ActivationData target;
            try
            {
                target = stale is { Status: not ActivationStatus.Deactivated } ? stale : GetOrActivate(key);
            }
            catch (Exception exception)
            {
                item.Fail(exception);
                return;
            }

            if (target.Enqueue(item))
            {
                return;
            }

            stale = target;
        }
    }
}
