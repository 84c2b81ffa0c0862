using System.Reflection;

namespace Platform.Client.Tests.Infrastructure;

/// <summary>Where things are: the repository root (the directory holding Platform.slnx), the built server and sample.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The configuration this test assembly was built in (Debug, Release).</summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>Our server, built in the same configuration as the tests.</summary>
    public static string ServerDll => Path.Combine(Root, "src", "Api", "bin", Configuration, "net10.0", "Platform.Api.dll");

    /// <summary>The order-pipeline sample, built in the same configuration as the tests.</summary>
    public static string OrderPipelineDll => Path.Combine(Root, "samples", "OrderPipeline", "bin", Configuration, "net10.0", "Platform.OrderPipeline.dll");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException($"No Platform.slnx above {AppContext.BaseDirectory}.");
    }
}
