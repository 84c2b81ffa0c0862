using System.ComponentModel;

namespace Platform.Silo.Invocation;

/// <summary>Resolves grain constructor parameters for generated activators.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GrainActivatorServices
{
    /// <summary>Resolves a required constructor parameter.</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="services">The silo's service provider.</param>
    /// <param name="grainClass">The grain class being activated (for the error message).</param>
    /// <returns>The service.</returns>
    /// <exception cref="InvalidOperationException">No such service is registered.</exception>
    public static T GetRequired<T>(IServiceProvider services, Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) is T service
            ? service
            : throw new InvalidOperationException(
                $"Cannot activate grain class '{grainClass}': its constructor needs a service of type '{typeof(T)}', " +
                "which is not registered in the silo's service collection.");
    }

    /// <summary>Resolves an optional constructor parameter (nullable, or defaulting to null).</summary>
    /// <typeparam name="T">The parameter's type.</typeparam>
    /// <param name="services">The silo's service provider.</param>
    /// <returns>The service, or <see langword="default"/> if none is registered.</returns>
    public static T? GetOptional<T>(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService(typeof(T)) is T service ? service : default;
    }
}
