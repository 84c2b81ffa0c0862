using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Silo.Hosting;

/// <summary>Collects the silo's configuration; registered as a singleton so the runtime can read it.</summary>
internal sealed class SiloBuilder : ISiloBuilder
{
    private readonly List<Assembly> _assemblies = [];

    public SiloBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    public IReadOnlyList<Assembly> Assemblies => _assemblies;

    public ISiloBuilder AddGrains(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }
}
