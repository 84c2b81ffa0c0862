namespace Platform.Silo;

/// <summary>
/// Marker for anything the runtime can address: grains, grain references and observer references.
/// </summary>
public interface IAddressable
{
}
