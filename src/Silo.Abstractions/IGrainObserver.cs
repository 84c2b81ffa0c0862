namespace Platform.Silo;

/// <summary>
/// Marker for observer interfaces: objects outside the grain world (connections, tests) that grains notify.
/// Observer methods return <see langword="void"/>: a notification is one-way and never blocks the grain that sends it.
/// </summary>
public interface IGrainObserver : IAddressable
{
}
