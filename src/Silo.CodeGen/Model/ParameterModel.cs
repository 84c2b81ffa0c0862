namespace Platform.Silo.CodeGen.Model;

/// <summary>A method parameter: its fully qualified type and (escaped) name.</summary>
internal sealed record ParameterModel(string Type, string Name, bool IsParams);
