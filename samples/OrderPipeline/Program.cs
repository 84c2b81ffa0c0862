// An order pipeline on Platform.Client: a producer adds orders to a stream, two workers of one
// consumer group process them, one of them fails now and then (its orders are retried), and poison
// orders end in the dead-letter stream. Prints a summary; exits 0 when every order is accounted for.
//
//   dotnet run --project samples/OrderPipeline -- --endpoint 127.0.0.1:6379 [--orders 60] [--timeout 60] [--verbose]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Platform.Client;

var endpoint = Argument("--endpoint", "127.0.0.1:6379");
var orderCount = int.Parse(Argument("--orders", "60"), CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromSeconds(double.Parse(Argument("--timeout", "60"), CultureInfo.InvariantCulture));
var verbose = args.Contains("--verbose");

using var loggerFactory = LoggerFactory.Create(b => b
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Error));
await using var client = await PlatformClient.ConnectAsync(
    new PlatformClientOptions { Endpoint = endpoint, ClientName = "order-pipeline" }, loggerFactory);

var run = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
var stream = $"orders:{run}";
var deadLetters = stream + ":dead";
const string Group = "fulfilment";
var processed = new ConcurrentDictionary<string, string>();
var retried = new ConcurrentDictionary<string, long>();
var failures = 0;

// Every 13th order is poison: no worker can process it.
static bool IsPoison(int order) => order % 13 == 7;

var options = new ConsumerOptions
{
    BatchSize = 8,
    BlockTime = TimeSpan.FromMilliseconds(200),
    ClaimInterval = TimeSpan.FromMilliseconds(200),
    ClaimMinIdle = TimeSpan.FromMilliseconds(500),
    MaxDeliveries = 3,
    GroupStart = StreamPosition.Beginning,
};

ValueTask Handle(StreamDelivery delivery, bool flaky)
{
    var order = delivery.Entry.GetString("order")!;
    var number = int.Parse(order, CultureInfo.InvariantCulture);
    if (delivery.Entry.GetString("poison") == "yes")
    {
        Interlocked.Increment(ref failures);
        throw new InvalidOperationException($"order {order}: unknown product");
    }

    // worker-b's payment gateway times out on a third of its first attempts.
    if (flaky && !delivery.IsRetry && number % 3 == 0)
    {
        Interlocked.Increment(ref failures);
        throw new TimeoutException($"order {order}: payment gateway timed out");
    }

    if (delivery.IsRetry)
    {
        retried[order] = delivery.DeliveryCount;
    }

    processed.TryAdd(order, delivery.Consumer);
    return ValueTask.CompletedTask;
}

using var stop = new CancellationTokenSource();
// The group exists before the producer starts, so that both workers see every order.
await client.StreamCreateGroupAsync(stream, Group, StreamPosition.Beginning, makeStream: true);
var workers = new[]
{
    client.ConsumeAsync(stream, Group, "worker-a", (d, _) => Handle(d, flaky: false), options, stop.Token),
    client.ConsumeAsync(stream, Group, "worker-b", (d, _) => Handle(d, flaky: true), options, stop.Token),
};

var clock = Stopwatch.StartNew();
var poison = 0;
for (var i = 1; i <= orderCount; i++)
{
    var isPoison = IsPoison(i);
    poison += isPoison ? 1 : 0;
    await client.StreamAddAsync(stream,
    [
        ("order", i.ToString(CultureInfo.InvariantCulture)),
        ("customer", $"customer-{i % 7}"),
        ("amount", (i * 3.5m).ToString(CultureInfo.InvariantCulture)),
        ("poison", isPoison ? "yes" : "no"),
    ]);
}

long deadCount = 0;
long pending = -1;
while (clock.Elapsed < timeout)
{
    deadCount = await client.StreamLengthAsync(deadLetters);
    pending = (await client.StreamPendingAsync(stream, Group)).Count;
    if (processed.Count + deadCount >= orderCount && pending == 0)
    {
        break;
    }

    await Task.Delay(100);
}

await stop.CancelAsync();
await Task.WhenAll(workers);

var dead = await client.StreamRangeAsync(deadLetters);
var byWorker = processed.GroupBy(p => p.Value).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
Console.WriteLine($"Order pipeline on {endpoint} (stream {stream})");
Console.WriteLine($"  orders produced:      {orderCount}");
Console.WriteLine($"  processed:            {processed.Count} ({string.Join(", ", byWorker)})");
Console.WriteLine($"  retried and then ok:  {retried.Count}");
Console.WriteLine($"  handler failures:     {failures}");
Console.WriteLine($"  dead-lettered:        {dead.Count} (orders {string.Join(", ", dead.Select(e => e.GetString("order")))}; " +
    $"delivered {string.Join("/", dead.Select(e => e.GetString(DeadLetterFields.DeliveryCount)).Distinct())} times)");
Console.WriteLine($"  still pending:        {pending}");
Console.WriteLine($"  elapsed:              {clock.Elapsed.TotalSeconds:0.0} s");

var ok = processed.Count == orderCount - poison && dead.Count == poison && pending == 0;
Console.WriteLine(ok ? "RESULT: every order accounted for" : "RESULT: INCOMPLETE");
return ok ? 0 : 1;

string Argument(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
