namespace Platform.Silo.Hosting;

/// <summary>Activation collection: idle activations are deactivated so memory holds the active set.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>How long an activation may stay idle before it is deactivated. Default 15 minutes, as in Orleans.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector sweeps the activations. Default 1 minute.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);
}
