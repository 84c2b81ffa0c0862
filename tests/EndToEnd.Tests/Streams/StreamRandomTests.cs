using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Streams;

/// <summary>
/// Seeded random sequences of stream commands (XADD with explicit IDs and varied field shapes and
/// sizes, XDEL, XTRIM, XRANGE, XREADGROUP, XACK, XCLAIM, XAUTOCLAIM, XPENDING, XINFO, XGROUP, XSETID)
/// sent to ours and to redis-server; every reply must be the same once idle and delivery times
/// are masked. Every 100 commands, ours is checked for the consumer-group invariant: no entry is
/// pending for two consumers (XPENDING over the whole range lists each ID once; the consumers'
/// lists are disjoint and add up to the group's count).
/// </summary>
public sealed class StreamRandomTests(ServerPairFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ServerPairFixture>
{
    private const int Operations = 2500;

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(6, 2)]
    public Task Random_stream_commands_answer_as_redis_does(int seed, int protocol) => fixture.RunAsync(async () =>
    {
        await using var ours = await fixture.Ours.ConnectAsync();
        await using var redis = await fixture.Redis.ConnectAsync();
        foreach (var connection in new[] { ours, redis })
        {
            await connection.CallAsync("SELECT", (seed % 16).ToString(CultureInfo.InvariantCulture));
            await connection.CallAsync("FLUSHDB");
            if (protocol == 3)
            {
                await connection.CallAsync("HELLO", "3");
            }
        }

        var generator = new CommandGenerator(new Random(seed));
        var history = new Queue<string>();
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Operations; i++)
        {
            var command = generator.Next();
            history.Enqueue(string.Join(' ', command.Select(a => a.Length > 40 ? $"<{a.Length} bytes>" : a)));
            if (history.Count > 40)
            {
                history.Dequeue();
            }

            await Task.WhenAll(ours.SendCommandAsync(command), redis.SendCommandAsync(command));
            var replies = await Task.WhenAll(ours.ReadReplyAsync(), redis.ReadReplyAsync());
            var left = StreamMasks.Volatile(RespFrame.Render(replies[0]));
            var right = StreamMasks.Volatile(RespFrame.Render(replies[1]));
            if (left != right)
            {
                Assert.Fail(
                    $"Seed {seed} (RESP{protocol}), command {i + 1}: replies differ.\nLast commands:\n  {string.Join("\n  ", history)}\n" +
                    $"ours : {Cut(left)}\nredis: {Cut(right)}");
            }

            var parsed = RespValue.Parse(replies[1]);
            var outcome = $"{command[0]} {(command[0] is "XGROUP" or "XINFO" ? command[1] + " " : "")}{(parsed.IsError ? "error" : parsed.IsNull || parsed.Items is { Count: 0 } ? "empty" : "ok")}";
            tally[outcome] = tally.GetValueOrDefault(outcome) + 1;
            generator.Observe(command, parsed);
            if ((i + 1) % 100 == 0)
            {
                await StreamInvariants.CheckGroupsAsync(ours, CommandGenerator.Keys, $"seed {seed}, after command {i + 1}");
            }
        }

        // What the sequence exercised (shown with a detailed logger): replies by command and outcome.
        output.WriteLine(string.Join("\n", tally.Select(t => $"{t.Key}: {t.Value}")));
    });

    private static string Cut(string text) => text.Length > 4000 ? text[..4000] + "…" : text;

    /// <summary>Random stream commands, steered by what Redis answered (IDs that exist, groups that exist).</summary>
    private sealed class CommandGenerator(Random random)
    {
        public static readonly string[] Keys = ["s1", "s2"];
        private static readonly string[] Groups = ["g1", "g2", "g3"];
        private static readonly string[] Consumers = ["c1", "c2", "c3", "c4"];
        private static readonly string[] FieldNames = ["a", "b", "name", "field-with-a-longer-name", "f", ""];

        private readonly Dictionary<string, List<string>> _ids = Keys.ToDictionary(k => k, _ => new List<string>());
        private readonly Dictionary<string, (ulong Ms, ulong Seq)> _last = Keys.ToDictionary(k => k, _ => (0UL, 0UL));

        public string[] Next()
        {
            var key = Pick(Keys);
            var roll = random.Next(1000);
            return roll switch
            {
                < 300 => XAdd(key),
                < 350 => XDel(key),
                < 400 => XTrim(key),
                < 480 => XRange(key),
                < 520 => XGroupCreate(key),
                < 550 => ["XGROUP", "SETID", key, Pick(Groups), GroupId(key), .. Maybe(0.3, () => ["ENTRIESREAD", random.Next(-1, 30).ToString(CultureInfo.InvariantCulture)])],
                < 570 => ["XGROUP", "CREATECONSUMER", key, Pick(Groups), Pick(Consumers)],
                < 590 => ["XGROUP", "DELCONSUMER", key, Pick(Groups), Pick(Consumers)],
                < 600 => ["XGROUP", "DESTROY", key, Pick(Groups)],
                < 740 => XReadGroup(key),
                < 810 => ["XACK", key, Pick(Groups), .. SomeIds(key, 1, 4)],
                < 860 => XClaim(key),
                < 900 => XAutoClaim(key),
                < 950 => XPending(key),
                < 985 => XInfo(key),
                < 990 => XSetId(key),
                _ => ["XLEN", key],
            };
        }

        /// <summary>Learns the IDs that XADD created.</summary>
        public void Observe(string[] command, RespValue reply)
        {
            if (command[0] == "XADD" && reply.Type == '$' && reply.Text is { } id)
            {
                _ids[command[1]].Add(id);
                _last[command[1]] = ParseId(id);
            }
            else if (command[0] == "XSETID" && reply.Type == '+')
            {
                var (ms, seq) = ParseId(command[2]);
                _last[command[1]] = (ms, seq);
            }
        }

        private string[] XAdd(string key)
        {
            var args = new List<string> { "XADD", key };
            if (random.NextDouble() < 0.05)
            {
                args.Add("NOMKSTREAM");
            }

            if (random.NextDouble() < 0.2)
            {
                args.AddRange(TrimOptions(key));
            }

            var (ms, seq) = _last[key];
            var idRoll = random.Next(100);
            if (idRoll < 5 && ms > 0)
            {
                // Not above the top: an error on both.
                args.Add(Id(ms - 1, seq));
            }
            else if (idRoll < 12)
            {
                args.Add(FormattableString.Invariant($"{ms + (ulong)random.Next(0, 2)}-*"));
            }
            else
            {
                var nextMs = ms + (ulong)random.Next(0, 3);
                args.Add(nextMs == ms ? Id(ms, seq + 1 + (ulong)random.Next(0, 3)) : Id(nextMs, (ulong)random.Next(0, 3)));
            }

            var pairs = random.Next(1, 5);
            for (var i = 0; i < pairs; i++)
            {
                args.Add(Pick(FieldNames));
                var size = random.Next(100) switch
                {
                    < 70 => random.Next(0, 20),
                    < 95 => random.Next(20, 300),
                    _ => random.Next(1000, 3000),
                };
                args.Add(Value(size));
            }

            return [.. args];
        }

        private List<string> TrimOptions(string key)
        {
            var options = new List<string>();
            var approximate = random.NextDouble() < 0.5;
            if (random.NextDouble() < 0.6)
            {
                options.Add("MAXLEN");
                if (random.NextDouble() < 0.7)
                {
                    options.Add(approximate ? "~" : "=");
                }

                options.Add(random.Next(0, 160).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                options.Add("MINID");
                if (random.NextDouble() < 0.7)
                {
                    options.Add(approximate ? "~" : "=");
                }

                options.Add(ExistingOrRandomId(key));
            }

            if (approximate && random.NextDouble() < 0.3)
            {
                options.Add("LIMIT");
                options.Add(random.Next(0, 250).ToString(CultureInfo.InvariantCulture));
            }

            return options;
        }

        private string[] XDel(string key) => ["XDEL", key, .. SomeIds(key, 1, 4)];

        private string[] XTrim(string key) => ["XTRIM", key, .. TrimOptions(key)];

        private string[] XRange(string key)
        {
            var reverse = random.NextDouble() < 0.4;
            var start = Bound(key, "-");
            var end = Bound(key, "+");
            List<string> args = reverse ? ["XREVRANGE", key, end, start] : ["XRANGE", key, start, end];
            if (random.NextDouble() < 0.5)
            {
                args.AddRange(["COUNT", random.Next(-1, 12).ToString(CultureInfo.InvariantCulture)]);
            }

            return [.. args];
        }

        private string Bound(string key, string open) => random.Next(10) switch
        {
            < 4 => open,
            < 7 => ExistingOrRandomId(key),
            < 9 => "(" + ExistingOrRandomId(key),
            _ => _last[key].Ms.ToString(CultureInfo.InvariantCulture),
        };

        private string[] XGroupCreate(string key)
        {
            List<string> args = ["XGROUP", "CREATE", key, Pick(Groups), GroupId(key)];
            if (random.NextDouble() < 0.3)
            {
                args.Add("MKSTREAM");
            }

            if (random.NextDouble() < 0.2)
            {
                args.AddRange(["ENTRIESREAD", random.Next(-1, 20).ToString(CultureInfo.InvariantCulture)]);
            }

            return [.. args];
        }

        private string GroupId(string key) => random.Next(4) switch
        {
            0 => "$",
            1 => "0",
            _ => ExistingOrRandomId(key),
        };

        private string[] XReadGroup(string key)
        {
            List<string> args = ["XREADGROUP", "GROUP", Pick(Groups), Pick(Consumers)];
            if (random.NextDouble() < 0.6)
            {
                args.AddRange(["COUNT", random.Next(0, 8).ToString(CultureInfo.InvariantCulture)]);
            }

            if (random.NextDouble() < 0.1)
            {
                args.Add("NOACK");
            }

            args.Add("STREAMS");
            var keys = random.NextDouble() < 0.15 ? Keys : [key];
            args.AddRange(keys);
            foreach (var k in keys)
            {
                args.Add(random.Next(10) switch
                {
                    < 7 => ">",
                    < 9 => "0",
                    _ => ExistingOrRandomId(k),
                });
            }

            return [.. args];
        }

        private string[] XClaim(string key)
        {
            List<string> args = ["XCLAIM", key, Pick(Groups), Pick(Consumers), random.NextDouble() < 0.85 ? "0" : "1000000000", .. SomeIds(key, 1, 4)];
            if (random.NextDouble() < 0.2)
            {
                args.AddRange(["IDLE", random.Next(0, 1_000_000).ToString(CultureInfo.InvariantCulture)]);
            }
            else if (random.NextDouble() < 0.1)
            {
                args.AddRange(["TIME", "1000"]);
            }

            if (random.NextDouble() < 0.2)
            {
                args.AddRange(["RETRYCOUNT", random.Next(0, 10).ToString(CultureInfo.InvariantCulture)]);
            }

            if (random.NextDouble() < 0.15)
            {
                args.Add("FORCE");
            }

            if (random.NextDouble() < 0.3)
            {
                args.Add("JUSTID");
            }

            if (random.NextDouble() < 0.1)
            {
                args.AddRange(["LASTID", ExistingOrRandomId(key)]);
            }

            return [.. args];
        }

        private string[] XAutoClaim(string key)
        {
            var start = random.Next(4) switch
            {
                0 => "0",
                1 => "-",
                2 => "(" + ExistingOrRandomId(key),
                _ => ExistingOrRandomId(key),
            };
            List<string> args = ["XAUTOCLAIM", key, Pick(Groups), Pick(Consumers), random.NextDouble() < 0.85 ? "0" : "1000000000", start];
            if (random.NextDouble() < 0.6)
            {
                args.AddRange(["COUNT", random.Next(1, 8).ToString(CultureInfo.InvariantCulture)]);
            }

            if (random.NextDouble() < 0.3)
            {
                args.Add("JUSTID");
            }

            return [.. args];
        }

        private string[] XPending(string key)
        {
            if (random.NextDouble() < 0.3)
            {
                return ["XPENDING", key, Pick(Groups)];
            }

            List<string> args = ["XPENDING", key, Pick(Groups)];
            if (random.NextDouble() < 0.2)
            {
                args.AddRange(["IDLE", random.NextDouble() < 0.5 ? "0" : "1000000000"]);
            }

            args.AddRange([Bound(key, "-"), Bound(key, "+"), random.Next(0, 12).ToString(CultureInfo.InvariantCulture)]);
            if (random.NextDouble() < 0.4)
            {
                args.Add(Pick(Consumers));
            }

            return [.. args];
        }

        private string[] XInfo(string key) => random.Next(4) switch
        {
            0 => ["XINFO", "STREAM", key],
            1 => random.NextDouble() < 0.5
                ? ["XINFO", "STREAM", key, "FULL"]
                : ["XINFO", "STREAM", key, "FULL", "COUNT", random.Next(0, 6).ToString(CultureInfo.InvariantCulture)],
            2 => ["XINFO", "GROUPS", key],
            _ => ["XINFO", "CONSUMERS", key, Pick(Groups)],
        };

        private string[] XSetId(string key)
        {
            var (ms, seq) = _last[key];
            List<string> args = ["XSETID", key, Id(ms + (ulong)random.Next(0, 3), seq)];
            if (random.NextDouble() < 0.5)
            {
                args.AddRange(["ENTRIESADDED", random.Next(0, 400).ToString(CultureInfo.InvariantCulture)]);
                if (random.NextDouble() < 0.5)
                {
                    args.AddRange(["MAXDELETEDID", ExistingOrRandomId(key)]);
                }
            }

            return [.. args];
        }

        private List<string> SomeIds(string key, int min, int max)
        {
            var ids = new List<string>();
            var count = random.Next(min, max);
            for (var i = 0; i < count; i++)
            {
                ids.Add(ExistingOrRandomId(key));
            }

            return ids;
        }

        private string ExistingOrRandomId(string key)
        {
            var ids = _ids[key];
            if (ids.Count > 0 && random.NextDouble() < 0.85)
            {
                // Mostly recent IDs, where the live entries and the pending lists are.
                var index = ids.Count - 1 - (int)Math.Min(ids.Count - 1, Math.Abs(random.NextDouble() * random.NextDouble() * ids.Count));
                return ids[index];
            }

            var (ms, _) = _last[key];
            return Id((ulong)random.Next(0, (int)Math.Min(int.MaxValue, ms + 2)), (ulong)random.Next(0, 3));
        }

        private string Value(int size)
        {
            var chars = new char[size];
            for (var i = 0; i < size; i++)
            {
                chars[i] = (char)random.Next(size > 100 ? 'a' : 0, size > 100 ? 'z' + 1 : 256);
            }

            // Short values are sometimes numbers: listpacks store integers apart.
            return size is > 0 and < 10 && random.NextDouble() < 0.3
                ? random.NextInt64(-100000, 100000).ToString(CultureInfo.InvariantCulture)
                : new string(chars);
        }

        private T Pick<T>(T[] items) => items[random.Next(items.Length)];

        private List<string> Maybe(double probability, Func<List<string>> make) => random.NextDouble() < probability ? make() : [];

        private static string Id(ulong ms, ulong seq) => FormattableString.Invariant($"{ms}-{seq}");

        private static (ulong Ms, ulong Seq) ParseId(string id)
        {
            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return dash < 0
                ? (ulong.Parse(id, CultureInfo.InvariantCulture), 0)
                : (ulong.Parse(id.AsSpan(0, dash), CultureInfo.InvariantCulture), ulong.Parse(id.AsSpan(dash + 1), CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>Checks of a consumer group's pending entries list on our server.</summary>
internal static class StreamInvariants
{
    /// <summary>
    /// For every group of every key: XPENDING - + over the whole range lists each ID once and as many
    /// as the summary counts; the per-consumer lists are disjoint, each agrees with the whole list
    /// on its owner, and they add up to the group's count; XINFO CONSUMERS' pending agrees.
    /// </summary>
    public static async Task CheckGroupsAsync(RespConnection connection, IEnumerable<string> keys, string where)
    {
        foreach (var key in keys)
        {
            var groups = RespValue.Parse(await connection.CallAsync("XINFO", "GROUPS", key));
            if (groups.IsError)
            {
                continue;
            }

            foreach (var group in groups.Array.Select(g => g.Map()))
            {
                var name = group["name"].Str;
                var context = $"{where}: key {key} group {name}";
                var summary = RespValue.Parse(await connection.CallAsync("XPENDING", key, name)).Array;
                var whole = RespValue.Parse(await connection.CallAsync("XPENDING", key, name, "-", "+", "1000000")).Array;
                var owners = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var row in whole)
                {
                    var id = row.Array[0].Str;
                    Assert.True(owners.TryAdd(id, row.Array[1].Str), $"{context}: {id} listed twice in XPENDING - +");
                }

                Assert.Equal(summary[0].Int, whole.Count);
                Assert.Equal(group["pending"].Int, whole.Count);

                var consumers = RespValue.Parse(await connection.CallAsync("XINFO", "CONSUMERS", key, name)).Array.Select(c => c.Map()).ToList();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var consumer in consumers)
                {
                    var consumerName = consumer["name"].Str;
                    var own = RespValue.Parse(await connection.CallAsync("XPENDING", key, name, "-", "+", "1000000", consumerName)).Array;
                    Assert.True(own.Count == consumer["pending"].Int, $"{context}: {consumerName} has {own.Count} in XPENDING, XINFO CONSUMERS says {consumer["pending"].Int}");
                    foreach (var row in own)
                    {
                        var id = row.Array[0].Str;
                        Assert.True(seen.Add(id), $"{context}: {id} is pending for two consumers");
                        Assert.True(owners.TryGetValue(id, out var owner) && owner == consumerName, $"{context}: {id} in {consumerName}'s list, owner in the group's list: {owner ?? "none"}");
                    }
                }

                Assert.True(seen.Count == whole.Count, $"{context}: the consumers' lists hold {seen.Count} entries, the group's {whole.Count}");
            }
        }
    }
}
