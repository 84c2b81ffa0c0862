using System.Diagnostics;
using System.Globalization;

namespace Platform.TestSupport;

/// <summary>
/// A private PostgreSQL instance for tests (Debian's postgresql package): initdb in a temporary
/// directory, pg_ctl on 127.0.0.1 and a free port below the ephemeral range, its socket in the
/// same directory. As root, it runs as the postgres user (PostgreSQL refuses root). Clients log in
/// over TCP as a password role, as in production. Stopped and removed on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Role = "platform";
    private const string Password = "platform-tests";

    private readonly string _bin;
    private readonly string _directory;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string directory, bool asPostgresUser, int port)
    {
        _bin = bin;
        _directory = directory;
        _asPostgresUser = asPostgresUser;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "pg");

    /// <summary>Creates and starts an instance.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or did not start.</exception>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("platform-pg-").FullName;
        var asPostgresUser = Environment.UserName == "root";
        var server = new PostgresServer(bin, directory, asPostgresUser, FreePorts.Pick());
        if (asPostgresUser && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
            await RunAsync("install", ["-d", "-o", "postgres", "-m", "700", server.DataDirectory]).ConfigureAwait(false);
        }

        await server.RunPostgresAsync(
            "initdb", "-D", server.DataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync").ConfigureAwait(false);
        await server.StartAgainAsync().ConfigureAwait(false);
        await server.PsqlAsync($"CREATE ROLE {Role} LOGIN PASSWORD '{Password}'").ConfigureAwait(false);
        return server;
    }

    /// <summary>The connection string of <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={Role};Password={Password};Database={database}");

    /// <summary>Creates an empty database owned by the login role.</summary>
    public Task CreateDatabaseAsync(string name) => PsqlAsync($"CREATE DATABASE \"{name}\" OWNER {Role}");

    /// <summary>Runs SQL as the superuser, over the socket in the data directory.</summary>
    public Task PsqlAsync(string sql) =>
        RunPostgresAsync("psql", "-h", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql);

    /// <summary>Stops the server at once, as a crash or an outage would (pg_ctl -m immediate).</summary>
    public Task StopAsync() => RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    /// <summary>Starts the server (again) on the same port and data.</summary>
    public Task StartAgainAsync() => RunPostgresAsync(
        "pg_ctl", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {Port} -k {DataDirectory}"), "start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunPostgresAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop").ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp directory.
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install -y postgresql); tests/run.sh installs it.");
    }

    // Runs one of PostgreSQL's programs, as the postgres user when we are root.
    private Task RunPostgresAsync(string program, params string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        if (!_asPostgresUser)
        {
            return RunAsync(path, arguments);
        }

        var command = string.Join(' ', new[] { path }.Concat(arguments).Select(Quote));
        return RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", command]);

        static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static async Task RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout.ConfigureAwait(false)} {await stderr.ConfigureAwait(false)}");
        }
    }
}
