using Platform.Api.Configuration;
using Platform.Api.Hosting;
using Platform.Api.Http;
using Platform.Api.Server;

// Socket completions run inline on the I/O thread rather than hopping to the thread pool, so a
// RESP batch runs where its read completed: the setting is read once, before the first socket
// exists (DESIGN.md: 2.0 → 0.3 context switches per request).
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// The HTTP address is declared in code (Endpoints), so it is taken out of what ASP.NET sees:
// Kestrel ignores "urls" once any endpoint is declared in code, and warns about it.
var (urls, hostArgs) = HttpUrls.Take(args);

// Configuration is read once at start (CONFIG SET changes it while running), so its files are not
// watched for changes: the watcher follows the whole content root, the working directory, where
// the data directory lies by default, and every journal write woke its thread (XADD under
// appendfsync always: 27k/s watched, 30–33k/s not).
var builder = WebApplication.CreateBuilder([.. hostArgs, "--hostBuilder:reloadConfigOnChange=false"]);

var config = new ServerConfig();
try
{
    config.Load(builder.Configuration);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"Bad configuration: {e.Message}");
    return 1;
}

builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    Endpoints.Listen(kestrel, urls);
});
builder.Services.AddRespServer(config);
builder.Services.AddHttpApi(config);

// Disposing the host commits what the journal holds.
await using var app = builder.Build();
app.MapHttpApi();

// The store is opened, and each database's keys listed, before any port opens; a store that cannot
// be used stops the start with its reason, the store left as it was.
try
{
    await app.Services.GetRequiredService<Persistence>().StartAsync(CancellationToken.None);
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"Cannot start: {e.Message}");
    return 1;
}

// A stop asked for while the ports open (SIGTERM during the start) cancels the rest of the start:
// a stop like any other, not a failure. A port that cannot be bound is a failure, told in one line.
// Either way what did start is stopped.
var exitCode = 0;
try
{
    await app.StartAsync();
}
catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
{
}
catch (IOException e)
{
    Console.Error.WriteLine($"Cannot start: {e.Message}");
    app.Lifetime.StopApplication();
    exitCode = 1;
}

await app.WaitForShutdownAsync();
return exitCode;
