// PUBLISH / XADD throughput of one PlatformClient (one multiplexed connection) with N concurrent
// callers, each awaiting its own command before sending the next. Prints one line:
//   RESULT <op> <callers> <operations> <seconds> <ops/s>
//
//   dotnet Platform.ClientBench.dll --endpoint 127.0.0.1:6379 --op publish|xadd --callers 64 --operations 200000
using System.Diagnostics;
using System.Globalization;
using Platform.Client;

var endpoint = Argument("--endpoint", "127.0.0.1:6379");
var op = Argument("--op", "publish");
var callers = int.Parse(Argument("--callers", "1"), CultureInfo.InvariantCulture);
var operations = int.Parse(Argument("--operations", "100000"), CultureInfo.InvariantCulture);
var payload = new byte[int.Parse(Argument("--payload", "3"), CultureInfo.InvariantCulture)];
Array.Fill(payload, (byte)'v');

await using var client = await PlatformClient.ConnectAsync(endpoint);
var key = $"bench:{op}:{Environment.ProcessId}";

async Task RunAsync(int count)
{
    var remaining = count;
    var workers = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Decrement(ref remaining) >= 0)
        {
            if (op == "xadd")
            {
                await client.StreamAddAsync(key, "f", payload);
            }
            else
            {
                await client.PublishAsync(key, payload);
            }
        }
    }));
    await Task.WhenAll(workers);
}

// Warm-up: the JIT compiles the path before it is measured.
await RunAsync(Math.Min(operations / 10, 20_000));
var clock = Stopwatch.StartNew();
await RunAsync(operations);
var seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"RESULT {op} {callers} {operations} {seconds:0.000} {operations / seconds:0}"));

string Argument(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
