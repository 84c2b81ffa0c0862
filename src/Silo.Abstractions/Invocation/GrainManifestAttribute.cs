using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>Points from an assembly to its generated <see cref="IGrainManifest"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class GrainManifestAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="manifestType">The generated manifest class (public, parameterless constructor).</param>
    public GrainManifestAttribute(Type manifestType) => ManifestType = manifestType;

    /// <summary>The generated manifest class.</summary>
    public Type ManifestType { get; }
}
