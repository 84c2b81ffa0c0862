namespace Platform.Silo.Hosting;

/// <summary>Figures of the running silo, for a host's diagnostics (INFO).</summary>
public interface ISiloStatistics
{
    /// <summary>Grain activations in memory now.</summary>
    int ActivationCount { get; }
}
