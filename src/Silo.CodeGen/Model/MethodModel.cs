namespace Platform.Silo.CodeGen.Model;

/// <summary>
/// One interface method to implement: <paramref name="DeclaringInterface"/> is the interface that declares it (the
/// proxy implements it explicitly, so inherited methods with the same signature stay distinct).
/// </summary>
internal sealed record MethodModel(
    string DeclaringInterface,
    string Name,
    string DisplayName,
    string ReturnType,
    ReturnKind Kind,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters);
