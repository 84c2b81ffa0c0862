namespace Platform.Silo.CodeGen.Model;

/// <summary>A grain constructor parameter, resolved from the service provider.</summary>
internal sealed record ConstructorParameterModel(string Type, bool IsOptional);
