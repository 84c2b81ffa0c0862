using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Platform.Silo.CodeGen;

namespace Platform.Silo.Tests;

public sealed class GeneratorDiagnosticsTests
{
    [Fact]
    public void Unsupported_members_are_compile_errors_that_name_the_member()
    {
        const string source = """
            using System.Threading.Tasks;
            using Platform.Silo;

            namespace Sample;

            public interface IBadGrain : IGrainWithStringKey
            {
                int Count { get; }
                event System.Action Changed;
                int SyncMethod();
                Task ByRef(ref int value);
                Task<T> Generic<T>();
                Task Fine(int value);
            }

            public interface IBadObserver : IGrainObserver
            {
                Task NotVoid();
            }
            """;

        var (diagnostics, _) = Run(source);

        Assert.Contains(diagnostics, d => d.Id == "PLATSILO001" && d.GetMessage().Contains("'Count'"));
        Assert.Contains(diagnostics, d => d.Id == "PLATSILO001" && d.GetMessage().Contains("'Changed'"));
        Assert.Contains(diagnostics, d => d.Id == "PLATSILO002" && d.GetMessage().Contains("Sample.IBadGrain.SyncMethod"));
        Assert.Contains(diagnostics, d => d.Id == "PLATSILO003" && d.GetMessage().Contains("Sample.IBadGrain.ByRef"));
        Assert.Contains(diagnostics, d => d.Id == "PLATSILO004" && d.GetMessage().Contains("Sample.IBadGrain.Generic"));
        Assert.Contains(diagnostics, d => d.Id == "PLATSILO005" && d.GetMessage().Contains("Sample.IBadObserver.NotVoid"));
        Assert.DoesNotContain(diagnostics, d => d.GetMessage().Contains("Fine"));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void Valid_grains_compile_without_diagnostics()
    {
        const string source = """
            using System.Threading.Tasks;
            using Platform.Silo;

            namespace Sample;

            public interface IBase : IGrainWithStringKey { Task<string> Name(); }
            public interface IGood : IBase { ValueTask<int> Add(int a, int b); ValueTask Clear(); Task Touch(string? @event); }
            public interface IGoodObserver : IGrainObserver { void OnItem(int item); }
            internal interface IInternal : IGrainWithStringKey { Task Ping(); }

            public sealed class GoodGrain : Grain, IGood, IInternal
            {
                public GoodGrain(System.IServiceProvider services, Microsoft.Extensions.Logging.ILogger? logger = null) { }
                public Task<string> Name() => Task.FromResult("x");
                public ValueTask<int> Add(int a, int b) => new(a + b);
                public ValueTask Clear() => default;
                public Task Touch(string? @event) => Task.CompletedTask;
                public Task Ping() => Task.CompletedTask;
            }
            """;

        var (diagnostics, output) = Run(source);

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.NotNull(output.GetTypeByMetadataName("Sample.Generated.Proxy_IGood"));
        Assert.NotNull(output.GetTypeByMetadataName("Sample.Generated.ObserverReference_IGoodObserver"));
        Assert.NotNull(output.GetTypeByMetadataName("Sample.Generated.GrainManifest"));
    }

    [Fact]
    public void An_unrelated_edit_reuses_every_generated_output()
    {
        const string grains = """
            using System.Threading.Tasks;
            using Platform.Silo;

            namespace Sample;

            public interface IGood : IGrainWithStringKey { ValueTask<int> Get(); }
            public interface IGoodObserver : IGrainObserver { void OnItem(int item); }
            public sealed class GoodGrain : Grain, IGood { public ValueTask<int> Get() => new(1); }
            """;
        var compilation = CreateCompilation(grains);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new SiloGenerator().AsSourceGenerator()],
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
            "namespace Sample; public sealed class Unrelated { public int Value => 42; }",
            new CSharpParseOptions(LanguageVersion.Latest)));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var outputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"An output was recomputed: {output.Reason}"));
    }

    private static (ImmutableArray<Diagnostic> Diagnostics, Compilation Output) Run(string source)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new SiloGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(CreateCompilation(source), out var output, out var diagnostics);
        return (diagnostics, output);
    }

    private static CSharpCompilation CreateCompilation(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(IGrainWithStringKey).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        return CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
