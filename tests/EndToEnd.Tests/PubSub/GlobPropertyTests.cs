using System.Globalization;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.PubSub;

/// <summary>
/// Glob matching against Redis's own stringmatchlen: random channel names and random patterns
/// over an alphabet of the glob's special characters (<c>* ? [ ] ^ - \</c>) and mixed-case
/// letters. The same channels are subscribed on both servers; then, for hundreds of patterns,
/// PUBSUB CHANNELS and PUBSUB SHARDCHANNELS (as sets), and the receiver counts of PUBLISH to
/// pattern subscribers, must be Redis's. Seeded: a failure names its seed and pattern.
/// </summary>
public sealed class GlobPropertyTests(ServerPairFixture fixture) : IClassFixture<ServerPairFixture>
{
    private const string Alphabet = @"*?[]^-\aAbBcC";

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 7)]
    [InlineData(4, 10)]
    public Task PUBSUB_CHANNELS_matches_as_redis_does(int seed, int maxLength) => fixture.RunAsync(async () =>
    {
        var random = new Random(seed);
        var channels = Enumerable.Range(0, 300).Select(_ => RandomText(random, Alphabet, maxLength, specialBias: 0.3)).Distinct().ToArray();
        var patterns = Enumerable.Range(0, 500).Select(_ => RandomText(random, Alphabet, maxLength, specialBias: 0.5)).ToArray();

        var ours = await ChannelsMatchingAsync(fixture.Ours, channels, patterns);
        var redis = await ChannelsMatchingAsync(fixture.Redis, channels, patterns);

        var mismatches = new List<string>();
        for (var i = 0; i < patterns.Length; i++)
        {
            foreach (var scope in new[] { "CHANNELS", "SHARDCHANNELS" })
            {
                var left = ours[scope][i];
                var right = redis[scope][i];
                if (!left.SetEquals(right))
                {
                    mismatches.Add($"PUBSUB {scope} \"{Show(patterns[i])}\": ours has [{Show(left.Except(right))}] too many, [{Show(right.Except(left))}] missing");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"seed {seed}: {mismatches.Count} of {patterns.Length * 2} patterns match differently:\n{string.Join("\n", mismatches.Take(40))}");

        // The property is only worth something if the patterns match a fair share of things.
        var nonEmpty = redis["CHANNELS"].Count(set => set.Count > 0);
        Assert.True(nonEmpty > patterns.Length / 10, $"only {nonEmpty} patterns matched anything");
    });

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public Task PUBLISH_reaches_the_pattern_subscribers_redis_s_does(int seed) => fixture.RunAsync(async () =>
    {
        var random = new Random(seed);
        var patterns = Enumerable.Range(0, 150).Select(_ => RandomText(random, Alphabet, 6, specialBias: 0.5)).Distinct().ToArray();
        var channels = Enumerable.Range(0, 300).Select(_ => RandomText(random, Alphabet, 6, specialBias: 0.3)).ToArray();

        var ours = await PublishToPatternsAsync(fixture.Ours, patterns, channels);
        var redis = await PublishToPatternsAsync(fixture.Redis, patterns, channels);

        var mismatches = new List<string>();
        for (var i = 0; i < channels.Length; i++)
        {
            if (ours.Counts[i] != redis.Counts[i] || !ours.Matched[i].SetEquals(redis.Matched[i]))
            {
                mismatches.Add($"PUBLISH \"{Show(channels[i])}\": ours {ours.Counts[i]} [{Show(ours.Matched[i])}], redis {redis.Counts[i]} [{Show(redis.Matched[i])}]");
            }
        }

        Assert.True(mismatches.Count == 0, $"seed {seed}: {mismatches.Count} of {channels.Length} publishes reached different patterns:\n{string.Join("\n", mismatches.Take(40))}");
        Assert.True(redis.Counts.Count(c => c > 0) > channels.Length / 10, "too few publishes matched any pattern");
    });

    private static string RandomText(Random random, string alphabet, int maxLength, double specialBias)
    {
        var length = random.Next(0, maxLength + 1);
        var text = new char[length];
        for (var i = 0; i < length; i++)
        {
            // Specials (the first 7 characters) with the given probability, else a letter.
            text[i] = random.NextDouble() < specialBias ? alphabet[random.Next(0, 7)] : alphabet[random.Next(7, alphabet.Length)];
        }

        return new string(text);
    }

    // For each scope, the set of channel names each pattern lists.
    private static async Task<Dictionary<string, List<HashSet<string>>>> ChannelsMatchingAsync(
        ServerProcess server, string[] channels, string[] patterns)
    {
        await using var subscriber = await server.ConnectAsync();
        await using var asker = await server.ConnectAsync();
        await subscriber.SendCommandAsync(["SUBSCRIBE", .. channels]);
        await subscriber.SendCommandAsync(["SSUBSCRIBE", .. channels]);
        await subscriber.ReadRepliesAsync(channels.Length * 2);

        var result = new Dictionary<string, List<HashSet<string>>>();
        foreach (var scope in new[] { "CHANNELS", "SHARDCHANNELS" })
        {
            await asker.SendAsync(string.Concat(patterns.Select(p => Resp.CommandText("PUBSUB", scope, p))));
            var replies = await asker.ReadRepliesAsync(patterns.Length);
            result[scope] = replies.Select(ParseBulkArray).Select(names => names.ToHashSet(StringComparer.Ordinal)).ToList();
        }

        await subscriber.CallAsync("RESET");
        return result;
    }

    // Each channel's PUBLISH receiver count, and the patterns whose pmessage arrived.
    private static async Task<(List<long> Counts, List<HashSet<string>> Matched)> PublishToPatternsAsync(
        ServerProcess server, string[] patterns, string[] channels)
    {
        await using var subscriber = await server.ConnectAsync();
        await using var publisher = await server.ConnectAsync();
        await subscriber.SendCommandAsync(["PSUBSCRIBE", .. patterns]);
        await subscriber.ReadRepliesAsync(patterns.Length);

        var counts = new List<long>();
        var matched = new List<HashSet<string>>();
        for (var i = 0; i < channels.Length; i++)
        {
            // A unique payload per publish: a pmessage is attributed to its publish by it.
            var reply = await publisher.CallAsync("PUBLISH", channels[i], i.ToString(CultureInfo.InvariantCulture));
            var count = long.Parse(Encoding.ASCII.GetString(reply, 1, reply.Length - 3), CultureInfo.InvariantCulture);
            counts.Add(count);
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (var m = 0; m < count; m++)
            {
                var frame = ParseBulkArray(await subscriber.ReadReplyAsync());
                Assert.Equal(new[] { "pmessage", frame[1], channels[i], i.ToString(CultureInfo.InvariantCulture) }, frame);
                set.Add(frame[1]);
            }

            matched.Add(set);
        }

        await subscriber.SendCommandAsync("PUNSUBSCRIBE");
        await subscriber.ReadRepliesAsync(patterns.Length);
        return (counts, matched);
    }

    // An array of bulk strings (RESP2), as Latin-1 strings.
    private static List<string> ParseBulkArray(byte[] frame)
    {
        var text = Encoding.Latin1.GetString(frame);
        if (text[0] != '*')
        {
            throw new FormatException($"Not an array: \"{RespFrame.Escape(frame)}\"");
        }

        var position = text.IndexOf("\r\n", StringComparison.Ordinal);
        var count = int.Parse(text[1..position], CultureInfo.InvariantCulture);
        position += 2;
        var items = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
            var length = int.Parse(text[(position + 1)..lineEnd], CultureInfo.InvariantCulture);
            items.Add(text.Substring(lineEnd + 2, length));
            position = lineEnd + 2 + length + 2;
        }

        return items;
    }

    private static string Show(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Show(IEnumerable<string> names) => string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => $"\"{Show(n)}\""));
}
