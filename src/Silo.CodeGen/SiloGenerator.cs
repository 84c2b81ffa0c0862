using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Platform.Silo.CodeGen.Emit;
using Platform.Silo.CodeGen.Model;
using Platform.Silo.CodeGen.Parsing;

namespace Platform.Silo.CodeGen;

/// <summary>
/// Generates, for the compilation it runs in: a proxy and one struct invokable per method for every grain interface,
/// an observer reference for every observer interface, an activator for every grain class, and one manifest that
/// registers them all (no reflection or <c>DispatchProxy</c> on the call path).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SiloGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Only value-equatable models leave the transforms, so unchanged interfaces and classes cost no emission.
        var interfaces = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                InterfaceParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);

        var grainClasses = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is ClassDeclarationSyntax { BaseList: not null },
                GrainClassParser.Parse)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);

        var compilationModel = context.CompilationProvider.Select(static (compilation, cancellationToken) => Describe(compilation, cancellationToken));

        context.RegisterSourceOutput(interfaces, static (output, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (!model.HasErrors)
            {
                var source = model.IsObserver ? ObserverEmitter.Emit(model) : ProxyEmitter.Emit(model);
                output.AddSource($"{model.GeneratedNamespace}.{model.ClassName}.g.cs", source);
            }
        });

        context.RegisterSourceOutput(grainClasses, static (output, model) =>
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var manifestInput = compilationModel
            .Combine(interfaces.Collect())
            .Combine(grainClasses.Collect());
        context.RegisterSourceOutput(manifestInput, static (output, input) =>
        {
            var ((compilation, interfaceModels), classModels) = input;
            if (!compilation.ReferencesAbstractions ||
                (interfaceModels.IsEmpty && classModels.IsEmpty && compilation.ReferencedManifests.Length == 0))
            {
                return;
            }

            output.AddSource(
                $"{compilation.ManifestNamespace}.{Naming.ManifestClassName}.g.cs",
                ManifestEmitter.Emit(compilation, interfaceModels, classModels));
        });
    }

    private static CompilationModel Describe(Compilation compilation, CancellationToken cancellationToken)
    {
        var referencesAbstractions = KnownTypes.Get(compilation) is not null;
        var manifests = new List<string>();
        if (referencesAbstractions)
        {
            foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // Only assemblies built against the abstractions can carry a manifest: skip the framework cheaply.
                if (!assembly.Modules.Any(static module => module.ReferencedAssemblies.Any(static identity => identity.Name == KnownTypes.AbstractionsAssemblyName)))
                {
                    continue;
                }

                foreach (var attribute in assembly.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == KnownTypes.ManifestAttributeName &&
                        attribute.ConstructorArguments.Length == 1 &&
                        attribute.ConstructorArguments[0].Value is INamedTypeSymbol manifest &&
                        EffectiveAccessibility.IsPublic(manifest))
                    {
                        manifests.Add(Naming.FullName(manifest));
                    }
                }
            }
        }

        manifests.Sort(System.StringComparer.Ordinal);
        return new CompilationModel(
            referencesAbstractions,
            Naming.ManifestNamespace(compilation.AssemblyName),
            new EquatableArray<string>(manifests));
    }
}
