using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Platform.Silo.CodeGen.Model;

namespace Platform.Silo.CodeGen.Emit;

/// <summary>
/// Emits the assembly's manifest: one class that registers its proxies, observer references and grain activators
/// (plus the proxies its grain classes need from referenced assemblies, and those assemblies' manifests), and the
/// assembly attribute that points to it.
/// </summary>
internal static class ManifestEmitter
{
    public static string Emit(
        CompilationModel compilation,
        ImmutableArray<InterfaceModel> interfaces,
        ImmutableArray<GrainClassModel> grainClasses)
    {
        var manifest = $"global::{compilation.ManifestNamespace}.{Naming.ManifestClassName}";
        var writer = new CodeWriter();
        Common.Header(writer);
        writer.Line($"[assembly: {Common.Invocation}.GrainManifestAttribute(typeof({manifest}))]");
        writer.Line();
        writer.Open($"namespace {compilation.ManifestNamespace}");
        writer.Line("/// <summary>Generated manifest: registers this assembly's grain proxies, observer references and grain activators.</summary>");
        writer.Line(Common.GeneratedCodeAttribute);
        writer.Line(Common.EditorBrowsableNever);
        writer.Open($"public sealed class {Naming.ManifestClassName} : {Common.Invocation}.IGrainManifest");
        writer.Line("/// <inheritdoc />");
        writer.Open($"public void Populate({Common.Invocation}.IGrainManifestBuilder builder)");

        foreach (var referenced in compilation.ReferencedManifests)
        {
            writer.Line($"builder.Include(new {referenced}());");
        }

        var proxies = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var model in interfaces.Where(m => !m.IsObserver && !m.HasErrors))
        {
            proxies[model.FullName] = model.GeneratedFullName;
        }

        foreach (var external in grainClasses.SelectMany(c => c.ExternalProxies))
        {
            proxies[external.InterfaceFullName] = external.ProxyFullName;
        }

        foreach (var proxy in proxies)
        {
            writer.Line($"builder.AddGrainProxy(typeof({proxy.Key}), static (shared, key) => new {proxy.Value}(shared, key));");
        }

        foreach (var model in interfaces.Where(m => m.IsObserver && !m.HasErrors).OrderBy(m => m.FullName, System.StringComparer.Ordinal))
        {
            writer.Line($"builder.AddObserverReference(typeof({model.FullName}), static mailbox => new {model.GeneratedFullName}(mailbox));");
        }

        var activators = grainClasses.Where(c => !c.HasErrors).OrderBy(c => c.FullName, System.StringComparer.Ordinal).ToList();
        for (var i = 0; i < activators.Count; i++)
        {
            var grainClass = activators[i];
            var types = string.Join(", ", grainClass.Interfaces.Select(name => $"typeof({name})"));
            writer.Line($"builder.AddGrain(typeof({grainClass.FullName}), Create_{i}, new global::System.Type[] {{ {types} }});");
        }

        writer.Close();

        for (var i = 0; i < activators.Count; i++)
        {
            var grainClass = activators[i];
            var arguments = grainClass.ConstructorParameters.Select(p => p.IsOptional
                ? $"{Common.Invocation}.GrainActivatorServices.GetOptional<{p.Type}>(services)!"
                : $"{Common.Invocation}.GrainActivatorServices.GetRequired<{p.Type}>(services, typeof({grainClass.FullName}))");
            writer.Line();
            writer.Line($"private static global::Platform.Silo.Grain Create_{i}(global::System.IServiceProvider services)");
            writer.Line($"    => new {grainClass.FullName}({string.Join(", ", arguments)});");
        }

        writer.Close();
        writer.Close();
        return writer.ToString();
    }
}
