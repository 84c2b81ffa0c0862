using Microsoft.CodeAnalysis;

namespace Platform.Silo.CodeGen;

/// <summary>The generator's diagnostics: each names the member at fault and says what is allowed.</summary>
internal static class Diagnostics
{
    private const string Category = "Platform.Silo";

    public static readonly DiagnosticDescriptor NotAMethod = Error(
        "PLATSILO001",
        "Grain and observer interfaces may declare only methods",
        "Interface '{0}' declares {1} '{2}'; grain and observer interfaces may declare only instance methods");

    public static readonly DiagnosticDescriptor UnsupportedGrainReturn = Error(
        "PLATSILO002",
        "Unsupported grain method return type",
        "Grain method '{0}' returns '{1}'; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>");

    public static readonly DiagnosticDescriptor ByRefParameter = Error(
        "PLATSILO003",
        "Parameters must be passed by value",
        "Parameter '{1}' of method '{0}' is passed by reference ({2}); grain and observer methods take parameters by value");

    public static readonly DiagnosticDescriptor GenericMethod = Error(
        "PLATSILO004",
        "Generic methods are not supported",
        "Method '{0}' is generic; grain and observer methods cannot have type parameters");

    public static readonly DiagnosticDescriptor UnsupportedObserverReturn = Error(
        "PLATSILO005",
        "Observer methods must return void",
        "Observer method '{0}' returns '{1}'; observer methods must return void (notifications are one-way)");

    public static readonly DiagnosticDescriptor GenericInterface = Error(
        "PLATSILO006",
        "Generic grain and observer interfaces are not supported",
        "Interface '{0}' is generic (or nested in a generic type); generic grain and observer interfaces are not supported");

    public static readonly DiagnosticDescriptor UncapturableParameter = Error(
        "PLATSILO007",
        "Parameter type cannot be captured",
        "Parameter '{1}' of method '{0}' has type '{2}', which cannot be stored in an invokable (ref struct or pointer)");

    public static readonly DiagnosticDescriptor InaccessibleInterface = Error(
        "PLATSILO008",
        "Interface must be public or internal",
        "Interface '{0}' must be public or internal (and not nested in a private or protected type) for its generated reference to implement it");

    public static readonly DiagnosticDescriptor NoConstructor = Error(
        "PLATSILO009",
        "Grain class has no usable constructor",
        "Grain class '{0}' has no public or internal constructor for the generated activator to call");

    public static readonly DiagnosticDescriptor GenericGrainClass = Error(
        "PLATSILO010",
        "Generic grain classes are not supported",
        "Grain class '{0}' is generic (or nested in a generic type); generic grain classes are not supported");

    public static readonly DiagnosticDescriptor ByRefConstructorParameter = Error(
        "PLATSILO011",
        "Grain constructor parameters must be passed by value",
        "Constructor parameter '{1}' of grain class '{0}' is passed by reference; grain constructors take services by value");

    public static readonly DiagnosticDescriptor MissingExternalProxy = Error(
        "PLATSILO012",
        "Grain interface from a referenced assembly has no generated proxy",
        "Grain interface '{0}' (implemented by '{1}') comes from assembly '{2}', which has no generated proxy '{3}'; reference Silo.CodeGen as an analyzer in that assembly's project");

    public static readonly DiagnosticDescriptor SeveralGrainConstructors = Error(
        "PLATSILO013",
        "Several constructors are marked [GrainConstructor]",
        "Grain class '{0}' marks more than one constructor with [GrainConstructor]");

    public static readonly DiagnosticDescriptor InaccessibleGrainClass = Error(
        "PLATSILO014",
        "Grain class must be public or internal",
        "Grain class '{0}' must be public or internal (and not nested in a private or protected type) for the generated activator to construct it");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
