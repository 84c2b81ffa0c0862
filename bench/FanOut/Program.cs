using System.Diagnostics;
using System.Globalization;
using Platform.Bench.FanOut;

// Usage: FanOut --port N [--subscribers 100] [--patterns 0] [--size 64] [--seconds 10] [--pipeline 16]
// Prints one line of key=value figures: delivered messages per second, latency p50/p99 (µs),
// messages per subscriber socket read.
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

foreach (var batch in subscribers.Chunk(100))
{
    await Task.WhenAll(batch.Select(s => s.ConnectAsync()));
}

using var stop = new CancellationTokenSource();
var warmup = TimeSpan.FromSeconds(options.Warmup);
var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
var readers = subscribers.Select(s => Task.Run(() => s.RunAsync(measureFrom, stop.Token))).ToList();
var publisher = new Publisher(options.Host, options.Port, channel, options.Size, options.Pipeline);
var publishing = Task.Run(() => publisher.RunAsync(stop.Token));

await Task.Delay(warmup + TimeSpan.FromSeconds(options.Seconds));
var elapsed = Stopwatch.GetElapsedTime(measureFrom).TotalSeconds;
var delivered = subscribers.Sum(s => s.Messages);
var reads = subscribers.Sum(s => s.Reads);
stop.Cancel();
foreach (var subscriber in subscribers)
{
    subscriber.Close();
}

await Task.WhenAll(readers.Append(publishing));
var latency = new LatencyHistogram();
foreach (var subscriber in subscribers)
{
    latency.Add(subscriber.Latency);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"delivered_per_sec={delivered / elapsed:F0} p50_us={latency.Percentile(50):F0} p99_us={latency.Percentile(99):F0} messages_per_read={(reads == 0 ? 0 : (double)subscribers.Sum(s => s.Messages) / reads):F1} published={publisher.Published}"));

internal sealed record Options(string Host, int Port, int Subscribers, int Patterns, int Size, int Seconds, int Warmup, int Pipeline)
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
            int.Parse(Get("pipeline", "16"), CultureInfo.InvariantCulture));
    }
}
