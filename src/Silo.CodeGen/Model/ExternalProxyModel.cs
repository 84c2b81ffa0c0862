namespace Platform.Silo.CodeGen.Model;

/// <summary>A grain interface from a referenced assembly and its generated proxy there.</summary>
internal sealed record ExternalProxyModel(string InterfaceFullName, string ProxyFullName);
