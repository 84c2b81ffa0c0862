using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>
/// What all references to grains of one grain class share: the runtime's way to find (or create) the activation for
/// a key. Implemented by the runtime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class GrainReferenceShared
{
    /// <summary>The grain class.</summary>
    public abstract Type GrainType { get; }

    /// <summary>
    /// Returns a target for the grain with <paramref name="key"/>: <paramref name="current"/> if it is still usable,
    /// else the directory's activation, activating a new one (inline, on the calling thread) if there is none.
    /// </summary>
    /// <param name="key">The grain's key.</param>
    /// <param name="current">The reference's cached target, or <see langword="null"/>.</param>
    /// <returns>A target that accepts calls.</returns>
    public abstract InvocationTarget Resolve(string key, InvocationTarget? current);
}
