namespace Platform.Silo;

/// <summary>
/// Picks the constructor the generated activator uses when a grain class has several (otherwise the one with the
/// most parameters is used).
/// </summary>
[AttributeUsage(AttributeTargets.Constructor, AllowMultiple = false, Inherited = false)]
public sealed class GrainConstructorAttribute : Attribute
{
}
