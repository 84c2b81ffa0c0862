using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Silo.Hosting;

/// <summary>Configures the silo (the <c>UseOrleans</c> builder's shape).</summary>
public interface ISiloBuilder
{
    /// <summary>The host's services: grains' constructor parameters are resolved from them.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Registers an assembly's grains, proxies and observer references, from its generated manifest (and the
    /// manifests of the assemblies it references, which the manifest includes).
    /// </summary>
    /// <param name="assembly">An assembly built with the Silo.CodeGen generator.</param>
    /// <returns>This builder.</returns>
    ISiloBuilder AddGrains(Assembly assembly);
}
