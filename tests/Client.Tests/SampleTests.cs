using System.Diagnostics;
using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class SampleTests(ServersFixture fixture) : ServerTests(fixture)
{
    [Theory]
    [MemberData(nameof(Servers))]
    public async Task The_order_pipeline_accounts_for_every_order(string server)
    {
        var process = Fixture[server];
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { RepositoryLayout.OrderPipelineDll, "--endpoint", process.Endpoint, "--orders", "40", "--timeout", "45" })
        {
            info.ArgumentList.Add(argument);
        }

        using var sample = Process.Start(info)!;
        var stdout = sample.StandardOutput.ReadToEndAsync();
        var stderr = sample.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await sample.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            sample.Kill(entireProcessTree: true);
        }

        var output = $"{await stdout}\n{await stderr}";
        Assert.True(sample.ExitCode == 0, $"[{server}] exit code {sample.ExitCode}\n{output}\n--- {server} log ---\n{process.ReadLog()}");
        Assert.Contains("RESULT: every order accounted for", output, StringComparison.Ordinal);
        Assert.Contains("dead-lettered:        3", output, StringComparison.Ordinal);
    }
}
