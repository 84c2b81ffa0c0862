namespace Platform.Silo.Runtime;

/// <summary>A grain class as a manifest registers it.</summary>
/// <param name="GrainClass">The class.</param>
/// <param name="Activator">The generated activator.</param>
/// <param name="GrainInterfaces">The grain interfaces it implements.</param>
internal sealed record GrainClassRegistration(Type GrainClass, Func<IServiceProvider, Grain> Activator, Type[] GrainInterfaces);
