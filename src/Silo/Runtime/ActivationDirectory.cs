using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Platform.Silo.Runtime;

/// <summary>The activations of this silo: at most one per grain (class and key) at a time.</summary>
internal sealed class ActivationDirectory
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();

    public int Count => _activations.Count;

    public bool TryGet(GrainId id, [NotNullWhen(true)] out ActivationData? activation) =>
        _activations.TryGetValue(id, out activation);

    public bool TryAdd(GrainId id, ActivationData activation) => _activations.TryAdd(id, activation);

    /// <summary>Removes the activation, unless the directory already maps its grain to another one.</summary>
    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(new GrainId(activation.GrainClass, activation.PrimaryKey), activation));

    /// <summary>Enumerates the activations without taking a lock or copying the directory.</summary>
    public IEnumerable<ActivationData> Activations
    {
        get
        {
            foreach (var pair in _activations)
            {
                yield return pair.Value;
            }
        }
    }
}
