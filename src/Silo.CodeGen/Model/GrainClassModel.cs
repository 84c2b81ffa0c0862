namespace Platform.Silo.CodeGen.Model;

/// <summary>A grain class: how to construct it, the grain interfaces it implements, and proxies it needs from elsewhere.</summary>
internal sealed record GrainClassModel(
    string FullName,
    EquatableArray<ConstructorParameterModel> ConstructorParameters,
    EquatableArray<string> Interfaces,
    EquatableArray<ExternalProxyModel> ExternalProxies,
    EquatableArray<DiagnosticInfo> Diagnostics)
{
    public bool HasErrors => Diagnostics.Length > 0;
}
