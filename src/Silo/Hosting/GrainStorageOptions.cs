using Platform.Silo.Storage;

namespace Platform.Silo.Hosting;

/// <summary>Grain storage: when the journal's writer commits (the provider is registered apart).</summary>
public sealed class GrainStorageOptions
{
    /// <summary>The durability mode at start. Default <see cref="Durability.Always"/>.</summary>
    public Durability Durability { get; set; } = Durability.Always;
}
