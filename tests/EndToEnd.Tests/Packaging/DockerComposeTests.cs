namespace Platform.EndToEnd.Tests.Packaging;

/// <summary>
/// docker-compose.yml is for users with a Docker engine (there is none here): Debian's
/// docker-compose validates it, and it must run the platform on PostgreSQL with the settings the
/// server reads.
/// </summary>
public sealed class DockerComposeTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_runs_the_platform_on_postgresql()
    {
        var compose = Path.Combine(RepositoryLayout.Root, "docker-compose.yml");
        var result = await ExternalProcess.RunAsync("docker-compose", ["-f", compose, "config"]);
        Assert.True(result.ExitCode == 0, $"docker-compose config: {result}");
        Assert.Contains("storage: postgresql", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("postgres: Host=postgres;", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", result.StandardOutput, StringComparison.Ordinal);
    }
}
