using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Platform.Bench;
using Platform.Bench.FanOut;

// Usage: FanOut --port N [--subscribers 100] [--patterns 0] [--size 64] [--seconds 10] [--warmup 2]
//               [--pipeline 16] [--readers 1] [--engine epoll|async]
// One publisher; N subscribers of "bench-channel" and K of the pattern "bench-*". Prints one line
// of key=value figures: delivered messages per second, publish-to-receive latency p50/p99 (µs),
// messages per subscriber socket read, and what the generator itself cost (cpu_pct: percent of
// one core), so a run where the generator, not the server, was the limit shows as such.
var options = Options.Parse(args);
var channel = "bench-channel";
var subscribers = new List<Subscriber>();
for (var i = 0; i < options.Subscribers; i++)
{
    subscribers.Add(new Subscriber(options.Host, options.Port, "SUBSCRIBE", channel));
}

for (var i = 0; i < options.Patterns; i++)
{
    subscribers.Add(new Subscriber(options.Host, options.Port, "PSUBSCRIBE", "bench-*"));
}

foreach (var subscriber in subscribers)
{
    subscriber.Connect();
}

var engine = options.Engine == "epoll" && !(OperatingSystem.IsLinux() && Native.EpollLayoutMatches) ? "async" : options.Engine;
var warmup = TimeSpan.FromSeconds(options.Warmup);
var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
var latency = new LatencyHistogram();
using var stop = new CancellationTokenSource();
var epollReaders = new List<EpollReader>();
var asyncReaders = new List<Task>();
if (engine == "epoll")
{
    var readers = Math.Max(1, Math.Min(options.Readers, subscribers.Count));
    for (var r = 0; r < readers; r++)
    {
        var share = subscribers.Where((_, i) => i % readers == r).ToList();
        epollReaders.Add(new EpollReader(share, measureFrom, r));
    }

    epollReaders.ForEach(r => r.Start());
}
else
{
    asyncReaders.AddRange(subscribers.Select(s => Task.Run(() => s.RunAsync(measureFrom, latency, stop.Token))));
}

var publisher = new Publisher(options.Host, options.Port, channel, options.Size, options.Pipeline, static (payload, now) => BinaryPrimitives.WriteInt64LittleEndian(payload, now));
publisher.Start();

await Task.Delay(warmup);

// Marks for a caller that samples the server's CPU time over exactly the measured window.
Console.WriteLine("measuring");
var cpuFrom = Process.GetCurrentProcess().TotalProcessorTime;
var messagesFrom = subscribers.Sum(s => s.Messages);
var publishedFrom = publisher.Published;
var clock = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
var elapsed = clock.Elapsed.TotalSeconds;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuFrom).TotalSeconds;
var published = publisher.Published - publishedFrom;

// Counted by the readers' threads as they go; a torn read of a long on x64 does not happen.
var delivered = subscribers.Sum(s => s.Messages) - messagesFrom;
var reads = subscribers.Sum(s => s.Reads);
var messages = subscribers.Sum(s => s.Messages);
Console.WriteLine("measured");
publisher.Stop();
var receivers = publisher.LastReceivers;
await stop.CancelAsync();
epollReaders.ForEach(r => r.Stop());
foreach (var subscriber in subscribers)
{
    subscriber.Close();
}

await Task.WhenAll(asyncReaders);
foreach (var reader in epollReaders)
{
    latency.Add(reader.Latency);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"delivered_per_sec={delivered / elapsed:F0} p50_us={latency.Percentile(50):F0} p99_us={latency.Percentile(99):F0} " +
    $"messages_per_read={(reads == 0 ? 0 : (double)messages / reads):F1} published_per_sec={published / elapsed:F0} " +
    $"receivers={receivers} closed={subscribers.Count(s => s.Closed)} cpu_pct={cpu * 100 / elapsed:F0} engine={engine}"));

internal sealed record Options(string Host, int Port, int Subscribers, int Patterns, int Size, int Seconds, int Warmup, int Pipeline, int Readers, string Engine)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        return new Options(
            Get("host", "127.0.0.1"),
            int.Parse(Get("port", "6379"), CultureInfo.InvariantCulture),
            int.Parse(Get("subscribers", "100"), CultureInfo.InvariantCulture),
            int.Parse(Get("patterns", "0"), CultureInfo.InvariantCulture),
            Math.Max(8, int.Parse(Get("size", "64"), CultureInfo.InvariantCulture)),
            int.Parse(Get("seconds", "10"), CultureInfo.InvariantCulture),
            int.Parse(Get("warmup", "2"), CultureInfo.InvariantCulture),
            int.Parse(Get("pipeline", "16"), CultureInfo.InvariantCulture),
            int.Parse(Get("readers", "1"), CultureInfo.InvariantCulture),
            Get("engine", "epoll"));
    }
}
