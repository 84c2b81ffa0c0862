namespace Platform.Silo.CodeGen.Model;

/// <summary>A grain or observer interface and what to generate for it.</summary>
internal sealed record InterfaceModel(
    string FullName,
    string GeneratedNamespace,
    string ClassName,
    bool IsObserver,
    bool IsPublic,
    EquatableArray<MethodModel> Methods,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool HasErrors)
{
    public string GeneratedFullName => $"global::{GeneratedNamespace}.{ClassName}";
}
