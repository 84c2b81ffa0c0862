using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Platform.Client.Tests.Infrastructure;

/// <summary>
/// A RESP server run as a child process on 127.0.0.1: ours (Platform.Api.dll) or the reference
/// (Debian's redis-server), on a random free port in 20000–32000 with its own temporary directory.
/// It can be killed and started again on the same port and directory (reconnect tests). Its output
/// goes to a log file that failing tests print. Killed on dispose.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    protected ServerProcess(string name, IReadOnlyList<string> extraArguments)
    {
        Name = name;
        ExtraArguments = extraArguments;
        Directory = System.IO.Directory.CreateTempSubdirectory($"platform-client-{name}-").FullName;
        LogPath = Path.Combine(Directory, "server.log");
    }

    /// <summary>"ours" or "redis".</summary>
    public string Name { get; }

    /// <summary>The RESP port.</summary>
    public int Port { get; private set; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Endpoint => FormattableString.Invariant($"127.0.0.1:{Port}");

    /// <summary>The server's temporary directory (its --dir), removed on dispose.</summary>
    public string Directory { get; }

    /// <summary>Where the server's output goes.</summary>
    public string LogPath { get; }

    /// <summary>The password the server requires, if any.</summary>
    public string? Password { get; init; }

    protected IReadOnlyList<string> ExtraArguments { get; }

    /// <summary>Starts the server on a free port and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var port = FreePorts.Pick();
            if (await TryStartAsync(port).ConfigureAwait(false))
            {
                return;
            }

            failures.Append(CultureInfo.InvariantCulture, $"port {port} failed; ");
            await StopAsync().ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{Name} did not start: {failures}\n{ReadLog()}");
    }

    /// <summary>Kills the server (as a crash would: no shutdown).</summary>
    public Task KillAsync() => StopAsync();

    /// <summary>Starts the server again on the same port and directory.</summary>
    public async Task RestartAsync()
    {
        await StopAsync().ConfigureAwait(false);
        var deadline = Stopwatch.StartNew();
        while (!await TryStartAsync(Port).ConfigureAwait(false))
        {
            await StopAsync().ConfigureAwait(false);
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"{Name} did not restart on port {Port}:\n{ReadLog()}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>The tail of the server's output.</summary>
    public string ReadLog()
    {
        try
        {
            lock (_logLock)
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var text = reader.ReadToEnd();
                return text.Length > 4000 ? "…" + text[^4000..] : text;
            }
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    /// <summary>Client options for this server.</summary>
    public PlatformClientOptions ClientOptions(Action<PlatformClientOptions>? configure = null)
    {
        var options = new PlatformClientOptions
        {
            Endpoint = Endpoint,
            Password = Password,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectTimeout = TimeSpan.FromSeconds(15),
            Reconnect = new ReconnectOptions { BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
        };
        configure?.Invoke(options);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp directory.
        }

        GC.SuppressFinalize(this);
    }

    public override string ToString() => Name;

    protected abstract ProcessStartInfo CreateStartInfo(int port);

    private async Task<bool> TryStartAsync(int port)
    {
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        WriteLog($"=== starting {Name} on port {port}");
        var info = CreateStartInfo(port);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => WriteLog(e.Data);
        _process.ErrorDataReceived += (_, e) => WriteLog(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Port = port;
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await AnswersPingAsync().ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token).ConfigureAwait(false);
            var request = Password is null ? "PING\r\n" : $"AUTH {Password}\r\nPING\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var received = new StringBuilder();
            var buffer = new byte[256];
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return false;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StopAsync()
    {
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                WriteLog($"=== {Name} stopped, exit code {_process.ExitCode}");
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                WriteLog($"=== {Name} stop: {e.Message}");
            }

            _process.Dispose();
            _process = null;
        }

        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private void WriteLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }
}

/// <summary>Our server: <c>dotnet Platform.Api.dll --port N --urls http://127.0.0.1:M --dir D</c>.</summary>
public sealed class PlatformServer(IReadOnlyList<string> extraArguments) : ServerProcess("ours", extraArguments)
{
    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        var dll = RepositoryLayout.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build src/Api in {RepositoryLayout.Configuration} (building the tests does).");
        }

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var argument in new[]
        {
            dll, "--port", port.ToString(CultureInfo.InvariantCulture),
            "--urls", FormattableString.Invariant($"http://127.0.0.1:{FreePorts.Pick()}"), "--dir", Directory,
            "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in ExtraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}

/// <summary>The reference: Debian's redis-server 7.0, no persistence unless asked, in the foreground.</summary>
public sealed class RedisServer(IReadOnlyList<string> extraArguments) : ServerProcess("redis", extraArguments)
{
    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        var info = new ProcessStartInfo("redis-server") { WorkingDirectory = Directory };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", Directory,
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in ExtraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
