using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>
/// A generated per-assembly list of grain proxies, observer references and grain activators; found through
/// <see cref="GrainManifestAttribute"/> when a host registers the assembly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGrainManifest
{
    /// <summary>Registers everything the assembly provides.</summary>
    /// <param name="builder">The runtime's registry.</param>
    void Populate(IGrainManifestBuilder builder);
}
