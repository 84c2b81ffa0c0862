using System.Diagnostics;
using System.Globalization;

namespace Platform.Http.Tests.Infrastructure;

/// <summary>
/// Our server run from its build output as a child process: the RESP port and the HTTP port on
/// 127.0.0.1, each a free port in 20000–32000 (below the ephemeral range), its own data directory,
/// its output in a log that failing tests print. Ready once /health/live and PING answer. Killed
/// on dispose.
/// </summary>
internal sealed class PlatformServer : IAsyncDisposable
{
    private const int Attempts = 8;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<string> _arguments;
    private readonly Lock _logLock = new();
    private readonly StringBuilder _log = new();
    private Process? _process;

    private PlatformServer(IReadOnlyList<string> arguments)
    {
        _arguments = arguments;
        Directory = System.IO.Directory.CreateTempSubdirectory("platform-http-").FullName;
    }

    /// <summary>The RESP port.</summary>
    public int RespPort { get; private set; }

    /// <summary>The HTTP port.</summary>
    public int HttpPort { get; private set; }

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseAddress => new(FormattableString.Invariant($"http://127.0.0.1:{HttpPort}/"));

    /// <summary>The server's data directory (--dir).</summary>
    public string Directory { get; }

    /// <summary>A client of the HTTP port (no timeout of its own: tests bound their waits).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts a server with extra command-line arguments and waits until it answers.</summary>
    public static async Task<PlatformServer> StartAsync(params string[] arguments)
    {
        var server = new PlatformServer(arguments);
        try
        {
            await server.StartAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What the server printed (the last 6,000 characters).</summary>
    public string Log()
    {
        lock (_logLock)
        {
            var text = _log.ToString();
            return text.Length > 6000 ? "…" + text[^6000..] : text;
        }
    }

    /// <summary>Runs redis-cli against the RESP port.</summary>
    public Task<ProcessResult> RedisCliAsync(params string[] arguments) =>
        ExternalProcess.RunAsync("redis-cli", ["-p", RespPort.ToString(CultureInfo.InvariantCulture), .. arguments], timeout: TimeSpan.FromSeconds(30));

    /// <summary>Runs redis-cli and returns its output, trimmed; fails the test if it failed.</summary>
    public async Task<string> RedisAsync(params string[] arguments)
    {
        var result = await RedisCliAsync(arguments).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"redis-cli {string.Join(' ', arguments)}: {result}");
        return result.StandardOutput.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is under the temporary directory.
        }
    }

    private async Task StartAsync()
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            RespPort = FreePorts.Pick();
            HttpPort = FreePorts.Pick();
            if (HttpPort == RespPort)
            {
                continue;
            }

            var dll = RepositoryLayout.ServerDll;
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                // appsettings.json is read from here, as when the server is run from its build output.
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                dll, "--port", RespPort.ToString(CultureInfo.InvariantCulture), "--urls", BaseAddress.ToString().TrimEnd('/'),
                "--dir", Directory, "--Logging:LogLevel:Default=Warning", .. _arguments])
            {
                info.ArgumentList.Add(argument);
            }

            _process = new Process { StartInfo = info };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            if (await WaitUntilReadyAsync().ConfigureAwait(false))
            {
                return;
            }

            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().ConfigureAwait(false);
            _process.Dispose();
            _process = null;
        }

        throw new InvalidOperationException($"The server did not start:\n{Log()}");
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout && !_process!.HasExited)
        {
            try
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync("health/live", cancel.Token).ConfigureAwait(false);
                // With requirepass the RESP port answers NOAUTH: it is up all the same.
                if (response.IsSuccessStatusCode && (await RedisCliAsync("PING").ConfigureAwait(false)).StandardOutput.Trim() is "PONG" or "NOAUTH Authentication required.")
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.AppendLine(line);
        }
    }
}
