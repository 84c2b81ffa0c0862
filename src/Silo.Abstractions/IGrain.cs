namespace Platform.Silo;

/// <summary>Marker for grain interfaces. Grain interfaces derive from a keyed variant such as <see cref="IGrainWithStringKey"/>.</summary>
public interface IGrain : IAddressable
{
}
