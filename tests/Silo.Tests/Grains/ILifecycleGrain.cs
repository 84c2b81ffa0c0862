namespace Platform.Silo.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    /// <summary>Which activation answered (each activation takes a new number from the probe).</summary>
    ValueTask<int> GetInstanceId();

    Task KeepAlive(TimeSpan duration);

    Task Deactivate();

    /// <summary>Makes OnDeactivateAsync wait for the named gate.</summary>
    Task HoldDeactivation(string gate);
}
