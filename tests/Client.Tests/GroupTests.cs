using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class GroupTests(ServersFixture fixture) : ServerTests(fixture)
{
    private static async Task<string> StreamWithAsync(PlatformClient client, int count)
    {
        var stream = Key("s");
        for (ulong i = 1; i <= (ulong)count; i++)
        {
            await client.StreamAddAsync(stream, "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture), new StreamAddOptions { Id = new StreamId(i, 0) });
        }

        return stream;
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Create_destroy_and_set_id(string server) => WithClientAsync(server, async client =>
    {
        var missing = Key("missing");
        var error = await Assert.ThrowsAsync<PlatformServerException>(async () => await client.StreamCreateGroupAsync(missing, "g"));
        Assert.StartsWith("ERR The XGROUP subcommand requires the key to exist", error.ServerMessage, StringComparison.Ordinal);
        Assert.True(await client.StreamCreateGroupAsync(missing, "g", makeStream: true));
        Assert.Equal(0, await client.StreamLengthAsync(missing));
        Assert.False(await client.StreamCreateGroupAsync(missing, "g", makeStream: true));

        var stream = await StreamWithAsync(client, 3);
        Assert.True(await client.StreamCreateGroupAsync(stream, "from-start", StreamPosition.Beginning));
        Assert.True(await client.StreamCreateGroupAsync(stream, "new-only"));
        Assert.True(await client.StreamCreateGroupAsync(stream, "counted", new StreamId(2, 0), entriesRead: 2));
        var groups = (await client.StreamGroupsInfoAsync(stream)).ToDictionary(g => g.Name);
        Assert.Equal(3, groups.Count);
        Assert.Equal(StreamId.Zero, groups["from-start"].LastDeliveredId);
        Assert.Equal(3, groups["from-start"].Lag);
        Assert.Equal(new StreamId(3, 0), groups["new-only"].LastDeliveredId);
        Assert.Equal(new StreamId(2, 0), groups["counted"].LastDeliveredId);
        Assert.Equal(2, groups["counted"].EntriesRead);
        Assert.Equal(1, groups["counted"].Lag);

        Assert.Empty(await client.StreamReadGroupAsync(stream, "new-only", "c"));
        await client.StreamSetGroupIdAsync(stream, "new-only", StreamPosition.Beginning);
        Assert.Equal(3, (await client.StreamReadGroupAsync(stream, "new-only", "c")).Count);
        await client.StreamSetGroupIdAsync(stream, "new-only", new StreamId(1, 0), entriesRead: 1);
        Assert.Equal(new StreamId(1, 0), (await client.StreamGroupsInfoAsync(stream)).Single(g => g.Name == "new-only").LastDeliveredId);

        Assert.True(await client.StreamDestroyGroupAsync(stream, "counted"));
        Assert.False(await client.StreamDestroyGroupAsync(stream, "counted"));
        Assert.Equal(2, (await client.StreamGroupsInfoAsync(stream)).Count);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Consumers_are_created_listed_and_deleted(string server) => WithClientAsync(server, async client =>
    {
        var stream = await StreamWithAsync(client, 2);
        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        Assert.True(await client.StreamCreateConsumerAsync(stream, "g", "idle-one"));
        Assert.False(await client.StreamCreateConsumerAsync(stream, "g", "idle-one"));
        await client.StreamReadGroupAsync(stream, "g", "reader");

        var consumers = (await client.StreamConsumersInfoAsync(stream, "g")).ToDictionary(c => c.Name);
        Assert.Equal(2, consumers.Count);
        Assert.Equal(0, consumers["idle-one"].Pending);
        Assert.Equal(2, consumers["reader"].Pending);
        Assert.True(consumers["reader"].Idle < TimeSpan.FromMinutes(1));

        Assert.Equal(2, await client.StreamDeleteConsumerAsync(stream, "g", "reader"));
        Assert.Equal(0, await client.StreamDeleteConsumerAsync(stream, "g", "nobody"));
        Assert.Equal(0, (await client.StreamPendingAsync(stream, "g")).Count);
        Assert.Equal(["idle-one"], (await client.StreamConsumersInfoAsync(stream, "g")).Select(c => c.Name));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Read_new_entries_history_and_noack(string server) => WithClientAsync(server, async client =>
    {
        var stream = await StreamWithAsync(client, 4);
        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);

        var first = await client.StreamReadGroupAsync(stream, "g", "alice", count: 2);
        Assert.Equal([new StreamId(1, 0), new StreamId(2, 0)], first.Select(e => e.Id));
        Assert.Equal("1", first[0].GetString("i"));
        var second = await client.StreamReadGroupAsync(stream, "g", "bob", count: 1, noAck: true);
        Assert.Equal([new StreamId(3, 0)], second.Select(e => e.Id));

        // History: alice's pending entries, from the start or after an ID.
        Assert.Equal([new StreamId(1, 0), new StreamId(2, 0)], (await client.StreamReadGroupAsync(stream, "g", "alice", StreamPosition.Beginning)).Select(e => e.Id));
        Assert.Equal([new StreamId(2, 0)], (await client.StreamReadGroupAsync(stream, "g", "alice", new StreamId(1, 0))).Select(e => e.Id));
        // NOACK: bob's entry is not pending.
        Assert.Empty(await client.StreamReadGroupAsync(stream, "g", "bob", StreamPosition.Beginning));

        // A pending entry deleted from the stream comes back from history with no fields.
        await client.StreamDeleteAsync(stream, [new StreamId(1, 0)]);
        var history = await client.StreamReadGroupAsync(stream, "g", "alice", StreamPosition.Beginning);
        Assert.True(history[0].IsDeleted);
        Assert.Empty(history[0].Fields);
        Assert.False(history[1].IsDeleted);

        var error = await Assert.ThrowsAsync<PlatformServerException>(async () => await client.StreamReadGroupAsync(stream, "nogroup", "c"));
        Assert.Equal("NOGROUP", error.ErrorCode);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Read_group_over_several_streams_and_block(string server) => WithClientAsync(server, async client =>
    {
        var a = await StreamWithAsync(client, 2);
        var b = await StreamWithAsync(client, 1);
        await client.StreamCreateGroupAsync(a, "g", StreamPosition.Beginning);
        await client.StreamCreateGroupAsync(b, "g", StreamPosition.Beginning);
        var results = await client.StreamReadGroupAsync("g", "c", [new StreamReadRequest(a, StreamPosition.NewEntries), new StreamReadRequest(b, StreamPosition.NewEntries)]);
        Assert.Equal([a, b], results.Select(r => r.Stream));
        Assert.Equal(2, results[0].Entries.Count);
        Assert.Single(results[1].Entries);

        var blocked = client.StreamReadGroupAsync(a, "g", "c", block: TimeSpan.FromSeconds(20)).AsTask();
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        var id = await client.StreamAddAsync(a, "late", "yes");
        Assert.Equal(id, Assert.Single(await blocked.WaitAsync(TimeSpan.FromSeconds(10))).Id);
        Assert.Empty(await client.StreamReadGroupAsync(a, "g", "c", block: TimeSpan.FromMilliseconds(100)));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Ack_and_pending(string server) => WithClientAsync(server, async client =>
    {
        var stream = await StreamWithAsync(client, 5);
        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        await client.StreamReadGroupAsync(stream, "g", "alice", count: 3);
        await client.StreamReadGroupAsync(stream, "g", "bob", count: 2);

        var summary = await client.StreamPendingAsync(stream, "g");
        Assert.Equal(5, summary.Count);
        Assert.Equal(new StreamId(1, 0), summary.LowestId);
        Assert.Equal(new StreamId(5, 0), summary.HighestId);
        Assert.Equal(3, summary.Consumers["alice"]);
        Assert.Equal(2, summary.Consumers["bob"]);

        Assert.Equal(2, await client.StreamAcknowledgeAsync(stream, "g", [new StreamId(1, 0), new StreamId(4, 0), new StreamId(99, 0)]));
        Assert.Equal(0, await client.StreamAcknowledgeAsync(stream, "g", new StreamId(1, 0)));

        var all = await client.StreamPendingEntriesAsync(stream, "g");
        Assert.Equal([new StreamId(2, 0), new StreamId(3, 0), new StreamId(5, 0)], all.Select(e => e.Id));
        Assert.Equal(["alice", "alice", "bob"], all.Select(e => e.Consumer));
        Assert.All(all, e => Assert.Equal(1, e.DeliveryCount));

        var bobs = await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { Consumer = "bob" });
        Assert.Equal([new StreamId(5, 0)], bobs.Select(e => e.Id));
        var ranged = await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { Start = StreamBound.Exclusive(new StreamId(2, 0)), End = new StreamId(5, 0), Count = 1 });
        Assert.Equal([new StreamId(3, 0)], ranged.Select(e => e.Id));
        Assert.Empty(await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { MinIdle = TimeSpan.FromMinutes(10) }));
        await Task.Delay(50);
        Assert.Equal(3, (await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { MinIdle = TimeSpan.FromMilliseconds(20) })).Count);

        await client.StreamAcknowledgeAsync(stream, "g", [new StreamId(2, 0), new StreamId(3, 0), new StreamId(5, 0)]);
        var empty = await client.StreamPendingAsync(stream, "g");
        Assert.Equal(0, empty.Count);
        Assert.Null(empty.LowestId);
        Assert.Empty(empty.Consumers);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Claim_with_options(string server) => WithClientAsync(server, async client =>
    {
        var stream = await StreamWithAsync(client, 4);
        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        await client.StreamReadGroupAsync(stream, "g", "alice", count: 3);

        // Not idle long enough: nothing moves.
        Assert.Empty(await client.StreamClaimAsync(stream, "g", "bob", TimeSpan.FromMinutes(1), [new StreamId(1, 0)]));

        var claimed = await client.StreamClaimAsync(stream, "g", "bob", TimeSpan.Zero, [new StreamId(1, 0), new StreamId(2, 0)]);
        Assert.Equal([new StreamId(1, 0), new StreamId(2, 0)], claimed.Select(e => e.Id));
        Assert.Equal("1", claimed[0].GetString("i"));
        var pending = (await client.StreamPendingEntriesAsync(stream, "g")).ToDictionary(e => e.Id);
        Assert.Equal("bob", pending[new StreamId(1, 0)].Consumer);
        Assert.Equal(2, pending[new StreamId(1, 0)].DeliveryCount);

        var ids = await client.StreamClaimIdsAsync(stream, "g", "carol", TimeSpan.Zero, [new StreamId(3, 0)], new StreamClaimOptions { RetryCount = 7, Idle = TimeSpan.FromSeconds(60) });
        Assert.Equal([new StreamId(3, 0)], ids);
        var third = Assert.Single(await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { Consumer = "carol" }));
        Assert.Equal(7, third.DeliveryCount);
        Assert.True(third.Idle >= TimeSpan.FromSeconds(59));

        // FORCE claims an entry no one was given; LASTID moves the group's last delivered ID.
        var forced = await client.StreamClaimAsync(stream, "g", "dave", TimeSpan.Zero, [new StreamId(4, 0)], new StreamClaimOptions { Force = true, LastId = new StreamId(4, 0), Time = DateTimeOffset.UtcNow.AddSeconds(-30) });
        Assert.Equal([new StreamId(4, 0)], forced.Select(e => e.Id));
        Assert.Equal(new StreamId(4, 0), (await client.StreamGroupsInfoAsync(stream)).Single().LastDeliveredId);
        Assert.True(Assert.Single(await client.StreamPendingEntriesAsync(stream, "g", new StreamPendingOptions { Consumer = "dave" })).Idle >= TimeSpan.FromSeconds(29));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Autoclaim_reports_deleted_entries(string server) => WithClientAsync(server, async client =>
    {
        var stream = await StreamWithAsync(client, 5);
        await client.StreamCreateGroupAsync(stream, "g", StreamPosition.Beginning);
        await client.StreamReadGroupAsync(stream, "g", "dead-consumer", count: 4);
        await client.StreamDeleteAsync(stream, [new StreamId(2, 0)]);
        await Task.Delay(30);

        // Nothing is idle that long; the deleted entry is dropped from the PEL and reported all the same.
        var none = await client.StreamAutoClaimAsync(stream, "g", "bob", TimeSpan.FromMinutes(1));
        Assert.Empty(none.Entries);
        Assert.Equal([new StreamId(2, 0)], none.DeletedIds);
        Assert.Equal(StreamId.Zero, none.NextStart);

        var page = await client.StreamAutoClaimAsync(stream, "g", "bob", TimeSpan.FromMilliseconds(10), count: 2);
        Assert.Equal([new StreamId(1, 0), new StreamId(3, 0)], page.Entries.Select(e => e.Id));
        Assert.Equal("3", page.Entries[1].GetString("i"));
        Assert.Empty(page.DeletedIds);
        Assert.Equal(new StreamId(4, 0), page.NextStart);

        var rest = await client.StreamAutoClaimAsync(stream, "g", "bob", TimeSpan.FromMilliseconds(10), page.NextStart, count: 10, justIds: true);
        Assert.Equal([new StreamId(4, 0)], rest.Entries.Select(e => e.Id));
        Assert.Equal(StreamId.Zero, rest.NextStart);
        Assert.Empty(rest.DeletedIds);

        var summary = await client.StreamPendingAsync(stream, "g");
        Assert.Equal(3, summary.Count);
        Assert.Equal(3, summary.Consumers["bob"]);
        // JUSTID does not count a delivery.
        var counts = (await client.StreamPendingEntriesAsync(stream, "g")).ToDictionary(e => e.Id, e => e.DeliveryCount);
        Assert.Equal(2, counts[new StreamId(1, 0)]);
        Assert.Equal(2, counts[new StreamId(3, 0)]);
        Assert.Equal(1, counts[new StreamId(4, 0)]);
    });
}
