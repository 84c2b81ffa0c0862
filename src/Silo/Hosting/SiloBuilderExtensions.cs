using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Platform.Silo.Storage;

namespace Platform.Silo.Hosting;

/// <summary>Conveniences on <see cref="ISiloBuilder"/>.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Registers the grains of the assembly that defines <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Any type of the grains' assembly, e.g. a grain class.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder AddGrainsFromAssemblyOf<T>(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddGrains(typeof(T).Assembly);
    }

    /// <summary>Configures silo options, e.g. <see cref="GrainCollectionOptions"/>.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes the options.</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder Configure<TOptions>(this ISiloBuilder builder, Action<TOptions> configure)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Stores grain state with the provider <paramref name="storage"/> makes, instead of in memory.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="storage">Makes the provider (SQLite, PostgreSQL...).</param>
    /// <returns>The builder.</returns>
    public static ISiloBuilder UseGrainStorage(this ISiloBuilder builder, Func<IServiceProvider, IGrainStorage> storage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IGrainStorage>();
        builder.Services.AddSingleton(storage);
        return builder;
    }
}
