namespace Platform.Silo.CodeGen.Model;

/// <summary>What the manifest needs from the compilation itself: its name and the manifests of referenced assemblies.</summary>
internal sealed record CompilationModel(bool ReferencesAbstractions, string ManifestNamespace, EquatableArray<string> ReferencedManifests);
