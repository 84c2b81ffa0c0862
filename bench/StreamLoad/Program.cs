using System.Diagnostics;
using System.Globalization;
using Platform.Bench;
using Platform.Bench.StreamLoad;

// Usage: StreamLoad --port N [--producers 4] [--consumers 4] [--pipeline 8] [--seconds 5] [--warmup 1]
//                   [--count 100] [--block 100] [--key bench-stream] [--group g]
// P producers each send batches of `pipeline` XADDs on their own connection
// (XADD key * t <add timestamp> p <payload>); K consumers each loop
// XREADGROUP GROUP g cK COUNT count BLOCK block STREAMS key > and XACK what they got in one call.
// Prints one line of key=value figures: entries added and acked per second over the measured
// window, add-to-delivery latency p50/p99 (µs, from the timestamp in the entry to the consumer's
// read of it), and what the generator itself cost (cpu_pct: percent of one core).
var options = Options.Parse(args);
using (var setup = new RespClient(options.Host, options.Port))
{
    setup.Call("DEL", options.Key);
    setup.Call("XGROUP", "CREATE", options.Key, options.Group, "$", "MKSTREAM");
}

var latency = new LatencyHistogram();
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var start = Stopwatch.GetTimestamp();
var measureFrom = start + (long)(options.Warmup * Stopwatch.Frequency);
var measureTo = measureFrom + (long)(options.Seconds * Stopwatch.Frequency);
long added = 0;
long acked = 0;
var producing = true;
var payload = new string('x', 64);

var producers = Enumerable.Range(0, options.Producers).Select(_ => new Thread(() =>
{
    // A batch of `pipeline` XADDs in one write, then its replies: the generator's syscalls per
    // entry stay low, so what is measured is the server.
    using var client = new RespClient(options.Host, options.Port);
    while (Volatile.Read(ref producing))
    {
        for (var i = 0; i < options.Pipeline; i++)
        {
            client.Send("XADD", options.Key, "*", "t", Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture), "p", payload);
        }

        client.Flush();
        for (var i = 0; i < options.Pipeline; i++)
        {
            var reply = client.Read();
            if (reply.Type == '-')
            {
                throw new InvalidOperationException($"XADD: {reply.Text}");
            }
        }

        var now = Stopwatch.GetTimestamp();
        if (now >= measureFrom && now < measureTo)
        {
            Interlocked.Add(ref added, options.Pipeline);
        }
    }
})
{ IsBackground = true }).ToList();

var consuming = true;
var consumers = Enumerable.Range(0, options.Consumers).Select(index => new Thread(() =>
{
    using var client = new RespClient(options.Host, options.Port);
    var name = $"c{index}";
    var count = options.Count.ToString(CultureInfo.InvariantCulture);
    var block = options.Block.ToString(CultureInfo.InvariantCulture);
    while (Volatile.Read(ref consuming))
    {
        var reply = client.Call("XREADGROUP", "GROUP", options.Group, name, "COUNT", count, "BLOCK", block, "STREAMS", options.Key, ">");
        if (reply.Type == '-')
        {
            throw new InvalidOperationException($"XREADGROUP: {reply.Text}");
        }

        var now = Stopwatch.GetTimestamp();
        if (reply.Items is null || reply.Items.Count == 0)
        {
            continue;
        }

        // RESP2: [[key, [[id, [t, ts, p, payload]], ...]]]
        var entries = reply.Items[0].Items![1].Items!;
        var ack = new List<string>(entries.Count + 3) { "XACK", options.Key, options.Group };
        foreach (var entry in entries)
        {
            ack.Add(entry.Items![0].Text!);
            var sent = long.Parse(entry.Items[1].Items![1].Text!, CultureInfo.InvariantCulture);
            if (now >= measureFrom && now < measureTo)
            {
                latency.Record((now - sent) * 1_000_000 / Stopwatch.Frequency);
            }
        }

        var done = client.Call([.. ack]);
        if (now >= measureFrom && now < measureTo)
        {
            Interlocked.Add(ref acked, done.Integer);
        }
    }
})
{ IsBackground = true }).ToList();

consumers.ForEach(t => t.Start());
producers.ForEach(t => t.Start());
Thread.Sleep(TimeSpan.FromSeconds(options.Warmup + options.Seconds));
Volatile.Write(ref producing, false);
producers.ForEach(t => t.Join());
Thread.Sleep(TimeSpan.FromMilliseconds(options.Block * 3));
Volatile.Write(ref consuming, false);
consumers.ForEach(t => t.Join(TimeSpan.FromSeconds(5)));
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
var wall = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
using (var check = new RespClient(options.Host, options.Port))
{
    var pending = check.Call("XPENDING", options.Key, options.Group).Items![0].Integer;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"added_per_s={added / options.Seconds:F0} acked_per_s={acked / options.Seconds:F0} p50_us={latency.Percentile(50):F0} p99_us={latency.Percentile(99):F0} pending_after={pending} cpu_pct={cpu / wall * 100:F0}"));
    check.Call("DEL", options.Key);
}
