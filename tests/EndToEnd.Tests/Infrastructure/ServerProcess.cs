using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Platform.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A RESP server run as a child process on 127.0.0.1: ours (Platform.Api.dll) or the reference
/// (Debian's redis-server). Started on a random free port in 20000–32000 (below the ephemeral
/// range, so no client's outgoing connection can hold it), with its own temporary directory; its
/// stdout and stderr go to a log file that failing tests print. Killed on dispose.
/// </summary>
internal abstract class ServerProcess : IAsyncDisposable
{
    private const int Attempts = 8;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly object _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    protected ServerProcess(string name, IReadOnlyList<string> extraArguments)
    {
        Name = name;
        ExtraArguments = extraArguments;
        Directory = System.IO.Directory.CreateTempSubdirectory($"platform-e2e-{name}-").FullName;
        LogPath = Path.Combine(Directory, "server.log");
    }

    /// <summary>"ours" or "redis", for messages.</summary>
    public string Name { get; }

    /// <summary>The RESP port.</summary>
    public int Port { get; private set; }

    /// <summary>The server's own temporary directory (its --dir), removed on dispose.</summary>
    public string Directory { get; }

    /// <summary>Where the server's stdout and stderr go.</summary>
    public string LogPath { get; }

    /// <summary>Whether the process is still running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The password the server was started with (--requirepass), if any.</summary>
    public string? Password { get; init; }

    /// <summary>Environment variables the server is started with, beside the test process's own.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The names of the running server's threads (Linux: /proc/PID/task/*/comm).</summary>
    public IReadOnlyList<string> ThreadNames() =>
        [.. System.IO.Directory.GetDirectories($"/proc/{_process!.Id}/task").Select(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'))];

    protected IReadOnlyList<string> ExtraArguments { get; }

    /// <summary>Starts the server and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var failures = new StringBuilder();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            Launch(FreePorts.Pick(), $" (attempt {attempt + 1})");
            if (await WaitUntilReadyAsync().ConfigureAwait(false))
            {
                return;
            }

            failures.Append(CultureInfoInvariant($"attempt {attempt + 1} on port {Port} failed; "));
            await StopAsync(graceful: false).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{Name} did not start: {failures}\n{ReadLog()}");
    }

    /// <summary>Starts the server's process on <paramref name="port"/> and returns at once, without waiting for it to answer.</summary>
    public void Launch(int port, string note = "")
    {
        _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
        WriteLog($"=== starting {Name} on port {port}{note}");
        var info = CreateStartInfo(port);
        foreach (var (name, value) in Environment)
        {
            info.Environment[name] = value;
        }

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
    }

    /// <summary>The server's output so far (the last 4,000 characters).</summary>
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

    /// <summary>A new connection to the server.</summary>
    public Task<RespConnection> ConnectAsync() => RespConnection.ConnectAsync(Port);

    /// <summary>Answers PING on a new connection (authenticating first when a password is set).</summary>
    public async Task<bool> AnswersPingAsync(TimeSpan? timeout = null)
    {
        try
        {
            await using var connection = await ConnectAsync().ConfigureAwait(false);
            var ping = Password is null ? "PING\r\n" : $"AUTH {Password}\r\nPING\r\n";
            await connection.SendAsync(ping).ConfigureAwait(false);
            if (Password is not null)
            {
                await connection.ReadReplyAsync(timeout).ConfigureAwait(false);
            }

            var reply = await connection.ReadReplyAsync(timeout).ConfigureAwait(false);
            return reply.AsSpan().SequenceEqual("+PONG\r\n"u8);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or RespConnectionClosedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false).ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it lives under the temp directory.
        }
    }

    protected abstract ProcessStartInfo CreateStartInfo(int port);

    private async Task<bool> WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                return false;
            }

            if (await AnswersPingAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// Stops the server: gracefully (SIGTERM, as a service manager does) or as a crash does
    /// (SIGKILL). Its directory stays, so <see cref="StartAsync"/> starts it again on its data.
    /// </summary>
    /// <returns>The exit code, or null if it could not be read.</returns>
    public async Task<int?> StopAsync(bool graceful)
    {
        int? exitCode = null;
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    if (graceful)
                    {
                        // Sent from here, not by a kill process: that took long enough to hide a stop racing the start.
                        Assert.Equal(0, Kill(_process.Id, SigTerm));
                    }
                    else
                    {
                        _process.Kill(entireProcessTree: true);
                    }
                }

                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
                exitCode = _process.ExitCode;
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

        return exitCode;
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

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>Our server: <c>dotnet Platform.Api.dll --port N --urls http://127.0.0.1:M --dir D</c>.</summary>
internal sealed class PlatformServer(IReadOnlyList<string> extraArguments) : ServerProcess("ours", extraArguments)
{
    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        var dll = RepositoryLayout.ServerDll;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build src/Api in {RepositoryLayout.Configuration} (building the tests does).");
        }

        var info = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // appsettings.json is read from here, as when the server is run from its build output.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(FormattableString.Invariant($"http://127.0.0.1:{FreePorts.Pick()}"));
        info.ArgumentList.Add("--dir");
        info.ArgumentList.Add(Directory);
        foreach (var argument in ExtraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}

/// <summary>The reference: Debian's redis-server 7.0, no persistence, in the foreground.</summary>
internal sealed class RedisServer(IReadOnlyList<string> extraArguments) : ServerProcess("redis", extraArguments)
{
    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        var info = new ProcessStartInfo("redis-server") { WorkingDirectory = Directory };
        foreach (var argument in new[]
        {
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", Directory,
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
