using Platform.Client.Tests.Infrastructure;

namespace Platform.Client.Tests;

[Collection(ServersCollection.Name)]
public sealed class StreamTests(ServersFixture fixture) : ServerTests(fixture)
{
    [Theory]
    [MemberData(nameof(Servers))]
    public Task Add_with_auto_and_explicit_ids_and_read_the_range(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        var first = await client.StreamAddAsync(stream, [("name", "ada"), ("lang", "en")], new StreamAddOptions { Id = new StreamId(1, 1) });
        Assert.Equal(new StreamId(1, 1), first);
        Assert.Equal(new StreamId(2, 0), await client.StreamAddAsync(stream, "n", "2", new StreamAddOptions { Id = new StreamId(2, 0) }));
        Assert.Equal(new StreamId(5, 0), await client.StreamAddAsync(stream, "n", "5", new StreamAddOptions { IdText = "5-*" }));
        Assert.Equal(new StreamId(5, 1), await client.StreamAddAsync(stream, "n", "5b", new StreamAddOptions { IdText = "5-*" }));
        var auto = await client.StreamAddAsync(stream, "n", new byte[] { 0, 1, 255 });
        Assert.NotNull(auto);
        Assert.True(auto.Value > new StreamId(5, 1));

        var all = await client.StreamRangeAsync(stream);
        Assert.Equal(5, all.Count);
        Assert.Equal("ada", all[0].GetString("name"));
        Assert.Equal("en", all[0].GetString("lang"));
        Assert.Equal(["name", "lang"], all[0].Fields.Select(f => f.NameString));
        Assert.Null(all[0]["missing"]);
        Assert.Equal(new byte[] { 0, 1, 255 }, all[4]["n"]!.Value.ToArray());

        var exclusive = await client.StreamRangeAsync(stream, StreamBound.Exclusive(new StreamId(1, 1)), count: 2);
        Assert.Equal([new StreamId(2, 0), new StreamId(5, 0)], exclusive.Select(e => e.Id));
        var bounded = await client.StreamRangeAsync(stream, new StreamId(2, 0), StreamBound.Exclusive(new StreamId(5, 1)));
        Assert.Equal([new StreamId(2, 0), new StreamId(5, 0)], bounded.Select(e => e.Id));

        var newest = await client.StreamReverseRangeAsync(stream, count: 2);
        Assert.Equal([auto.Value, new StreamId(5, 1)], newest.Select(e => e.Id));
        var reverseBounded = await client.StreamReverseRangeAsync(stream, StreamBound.Exclusive(new StreamId(5, 1)), StreamBound.Exclusive(new StreamId(1, 1)));
        Assert.Equal([new StreamId(5, 0), new StreamId(2, 0)], reverseBounded.Select(e => e.Id));

        Assert.Empty(await client.StreamRangeAsync(Key("missing")));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Add_rejects_an_id_not_above_the_last(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        await client.StreamAddAsync(stream, "f", "v", new StreamAddOptions { Id = new StreamId(10, 0) });
        var error = await Assert.ThrowsAsync<PlatformServerException>(async () =>
            await client.StreamAddAsync(stream, "f", "v", new StreamAddOptions { Id = new StreamId(9, 0) }));
        Assert.Equal("ERR The ID specified in XADD is equal or smaller than the target stream top item", error.ServerMessage);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Add_with_nomkstream_does_not_create_the_stream(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        Assert.Null(await client.StreamAddAsync(stream, "f", "v", new StreamAddOptions { NoMakeStream = true }));
        Assert.Equal(0, await client.StreamLengthAsync(stream));
        await client.StreamAddAsync(stream, "f", "v");
        Assert.NotNull(await client.StreamAddAsync(stream, "f", "v", new StreamAddOptions { NoMakeStream = true }));
        Assert.Equal(2, await client.StreamLengthAsync(stream));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Add_trims_by_maxlen_and_minid(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        for (ulong i = 1; i <= 5; i++)
        {
            await client.StreamAddAsync(stream, "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture), new StreamAddOptions { Id = new StreamId(i, 0) });
        }

        await client.StreamAddAsync(stream, "i", "6", new StreamAddOptions { Id = new StreamId(6, 0), Trim = StreamTrimOptions.ToMaxLength(3) });
        Assert.Equal([new StreamId(4, 0), new StreamId(5, 0), new StreamId(6, 0)], (await client.StreamRangeAsync(stream)).Select(e => e.Id));

        await client.StreamAddAsync(stream, "i", "7", new StreamAddOptions { Id = new StreamId(7, 0), Trim = StreamTrimOptions.ToMinId(new StreamId(6, 0)) });
        Assert.Equal([new StreamId(6, 0), new StreamId(7, 0)], (await client.StreamRangeAsync(stream)).Select(e => e.Id));

        // Approximate trimming removes whole nodes only: a stream this small keeps everything.
        await client.StreamAddAsync(stream, "i", "8", new StreamAddOptions { Trim = StreamTrimOptions.ToMaxLength(1, approximate: true, limit: 10) });
        Assert.Equal(3, await client.StreamLengthAsync(stream));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Trim_delete_and_length(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        for (ulong i = 1; i <= 6; i++)
        {
            await client.StreamAddAsync(stream, "i", "x", new StreamAddOptions { Id = new StreamId(i, 0) });
        }

        Assert.Equal(6, await client.StreamLengthAsync(stream));
        Assert.Equal(1, await client.StreamTrimAsync(stream, StreamTrimOptions.ToMaxLength(5)));
        Assert.Equal(1, await client.StreamTrimAsync(stream, StreamTrimOptions.ToMinId(new StreamId(3, 0))));
        Assert.Equal(0, await client.StreamTrimAsync(stream, StreamTrimOptions.ToMaxLength(2, approximate: true)));
        Assert.Equal(4, await client.StreamLengthAsync(stream));

        Assert.Equal(2, await client.StreamDeleteAsync(stream, [new StreamId(3, 0), new StreamId(5, 0), new StreamId(99, 0)]));
        Assert.Equal(0, await client.StreamDeleteAsync(stream, [new StreamId(3, 0)]));
        Assert.Equal([new StreamId(4, 0), new StreamId(6, 0)], (await client.StreamRangeAsync(stream)).Select(e => e.Id));
        Assert.Equal(0, await client.StreamLengthAsync(Key("missing")));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Info_describes_the_stream(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        await client.StreamAddAsync(stream, [("a", "1")], new StreamAddOptions { Id = new StreamId(1, 0) });
        await client.StreamAddAsync(stream, [("b", "2")], new StreamAddOptions { Id = new StreamId(2, 0) });
        await client.StreamAddAsync(stream, [("c", "3")], new StreamAddOptions { Id = new StreamId(3, 0) });
        await client.StreamDeleteAsync(stream, [new StreamId(3, 0)]);
        await client.StreamCreateGroupAsync(stream, "g");

        var info = await client.StreamInfoAsync(stream);
        Assert.Equal(2, info.Length);
        Assert.Equal(1, info.Groups);
        Assert.Equal(new StreamId(3, 0), info.LastGeneratedId);
        Assert.Equal(new StreamId(3, 0), info.MaxDeletedEntryId);
        Assert.Equal(3, info.EntriesAdded);
        Assert.Equal(new StreamId(1, 0), info.RecordedFirstEntryId);
        Assert.Equal("1", info.FirstEntry!.GetString("a"));
        Assert.Equal(new StreamId(2, 0), info.LastEntry!.Id);

        var error = await Assert.ThrowsAsync<PlatformServerException>(async () => await client.StreamInfoAsync(Key("missing")));
        Assert.Equal("ERR no such key", error.ServerMessage);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Read_several_streams_with_count(string server) => WithClientAsync(server, async client =>
    {
        var a = Key("a");
        var b = Key("b");
        for (ulong i = 1; i <= 3; i++)
        {
            await client.StreamAddAsync(a, "i", $"a{i}", new StreamAddOptions { Id = new StreamId(i, 0) });
            await client.StreamAddAsync(b, "i", $"b{i}", new StreamAddOptions { Id = new StreamId(i, 0) });
        }

        var results = await client.StreamReadAsync([new StreamReadRequest(a, StreamPosition.Beginning), new StreamReadRequest(b, new StreamId(2, 0))], count: 2);
        Assert.Equal(2, results.Count);
        Assert.Equal(a, results[0].Stream);
        Assert.Equal(["a1", "a2"], results[0].Entries.Select(e => e.GetString("i")));
        Assert.Equal(b, results[1].Stream);
        Assert.Equal(["b3"], results[1].Entries.Select(e => e.GetString("i")));

        var single = await client.StreamReadAsync(a, StreamPosition.After(new StreamId(1, 0)));
        Assert.Equal(["a2", "a3"], single.Select(e => e.GetString("i")));
        Assert.Empty(await client.StreamReadAsync(a, StreamPosition.After(new StreamId(3, 0))));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Read_with_block_waits_for_new_entries(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        var old = await client.StreamAddAsync(stream, "old", "1");
        // After old's ID rather than "$": on a loaded machine the blocked read's own connection may
        // reach the server after the next add, and "$" would then wait past it.
        var blocked = client.StreamReadAsync(stream, StreamPosition.After(old!.Value), block: TimeSpan.FromSeconds(20)).AsTask();
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        // The blocked read has a connection of its own: the shared one goes on.
        Assert.Equal(1, await client.StreamLengthAsync(stream));
        var id = await client.StreamAddAsync(stream, "new", "2");
        var entries = await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, Assert.Single(entries).Id);
        Assert.Equal("2", entries[0].GetString("new"));

        var timedOut = await client.StreamReadAsync(stream, StreamPosition.NewEntries, block: TimeSpan.FromMilliseconds(100));
        Assert.Empty(timedOut);
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task A_cancelled_blocking_read_ends_at_once(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.StreamReadAsync(stream, StreamPosition.NewEntries, block: TimeSpan.Zero, cancellationToken: cancel.Token));
        await client.StreamAddAsync(stream, "f", "v");
        Assert.Single(await client.StreamReadAsync(stream, StreamPosition.Beginning, block: TimeSpan.FromSeconds(1)));
    });

    [Theory]
    [MemberData(nameof(Servers))]
    public Task Large_entries_and_many_of_them_round_trip(string server) => WithClientAsync(server, async client =>
    {
        var stream = Key("s");
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);
        await client.StreamAddAsync(stream, "blob", big);
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => client.StreamAddAsync(stream, "i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)).AsTask()));
        var all = await client.StreamRangeAsync(stream);
        Assert.Equal(2001, all.Count);
        Assert.Equal(big, all[0]["blob"]!.Value.ToArray());
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), all.Skip(1).Select(e => e.GetString("i")));
    });
}
