using System.Reflection;

namespace Platform.TestSupport;

/// <summary>Where things are: the repository root (the directory holding Platform.slnx), the built server and sample, the client scripts.</summary>
public static class RepositoryLayout
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The configuration this test assembly was built in (Debug, Release).</summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The server built in the same configuration as the tests.</summary>
    public static string ServerDll => Path.Combine(Root, "src", "Api", "bin", Configuration, "net10.0", "Platform.Api.dll");

    /// <summary>The order-pipeline sample, built in the same configuration as the tests.</summary>
    public static string OrderPipelineDll => Path.Combine(Root, "samples", "OrderPipeline", "bin", Configuration, "net10.0", "Platform.OrderPipeline.dll");

    /// <summary>The Node.js client scripts and their node_modules.</summary>
    public static string NodeClients => Path.Combine(Root, "tests", "clients", "node");

    /// <summary>The Python client scripts (run by Debian's /usr/bin/python3, which has python3-redis).</summary>
    public static string PythonClients => Path.Combine(Root, "tests", "EndToEnd.Tests", "Clients");

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
