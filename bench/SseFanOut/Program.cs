using System.Diagnostics;
using System.Globalization;
using Platform.Bench;
using Platform.Bench.SseFanOut;

// Usage: SseFanOut --resp-port N [--http-port M] --mode sse|resp [--subscribers 100] [--size 64]
//                  [--seconds 5] [--warmup 2] [--pipeline 16]
// One publisher (PUBLISH over RESP, batches of 16) and N subscribers of "bench-channel", over
// server-sent events (GET /channels/subscribe) or over RESP (SUBSCRIBE). Every payload carries its
// send time, so each delivery's latency is known. Prints one line of key=value figures: delivered
// messages per second, publish-to-receive latency p50/p99 (µs), the subscribers the last PUBLISH
// reached, those the server closed, and the generator's own CPU (percent of one core).
var options = Options.Parse(args);
var latency = new LatencyHistogram();
var warmup = TimeSpan.FromSeconds(options.Warmup);
var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
var subscribers = new List<Subscriber>();
for (var i = 0; i < options.Subscribers; i++)
{
    Subscriber subscriber = options.Mode == "sse"
        ? new SseSubscriber(options.Host, options.HttpPort, Options.Channel, measureFrom, latency)
        : new RespSubscriber(options.Host, options.RespPort, Options.Channel, measureFrom, latency);
    subscriber.Connect();
    subscribers.Add(subscriber);
}

using var stop = new CancellationTokenSource();
var readers = subscribers.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToList();
var publisher = new Publisher(options.Host, options.RespPort, Options.Channel, options.Size, options.Pipeline, Payload.Stamp);
publisher.Start();
await Task.Delay(warmup);

// Marks for a caller that samples the server's CPU time over exactly the measured window.
Console.WriteLine("measuring");
var cpuFrom = Process.GetCurrentProcess().TotalProcessorTime;
var deliveredFrom = subscribers.Sum(s => s.Messages);
var publishedFrom = publisher.Published;
var clock = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
var elapsed = clock.Elapsed.TotalSeconds;
var delivered = subscribers.Sum(s => s.Messages) - deliveredFrom;
var published = publisher.Published - publishedFrom;
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuFrom).TotalSeconds;
Console.WriteLine("measured");
publisher.Stop();
await stop.CancelAsync();
foreach (var subscriber in subscribers)
{
    subscriber.Close();
}

await Task.WhenAll(readers);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"delivered_per_sec={delivered / elapsed:F0} p50_us={latency.Percentile(50):F0} p99_us={latency.Percentile(99):F0} " +
    $"published_per_sec={published / elapsed:F0} receivers={publisher.LastReceivers} closed={subscribers.Count(s => s.Closed)} " +
    $"cpu_pct={cpu * 100 / elapsed:F0} mode={options.Mode}"));

internal sealed record Options(string Host, int RespPort, int HttpPort, string Mode, int Subscribers, int Size, int Seconds, int Warmup, int Pipeline)
{
    public const string Channel = "bench-channel";

    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        int Number(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);

        var mode = Get("mode", "sse");
        if (mode is not ("sse" or "resp"))
        {
            throw new ArgumentException("--mode is sse or resp");
        }

        return new Options(
            Get("host", "127.0.0.1"),
            Number("resp-port", "6379"),
            Number("http-port", "8080"),
            mode,
            Number("subscribers", "100"),
            Math.Max(Payload.MinimumSize, Number("size", "64")),
            Number("seconds", "5"),
            Number("warmup", "2"),
            Number("pipeline", "16"));
    }
}
