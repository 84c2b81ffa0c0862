using Platform.Client.Consumers;
using Platform.Client.Protocol;
using Platform.Client.Streams;

namespace Platform.Client;

public sealed partial class PlatformClient
{
    /// <summary>
    /// XGROUP CREATE: creates a consumer group that will deliver entries after <paramref name="start"/>
    /// (default: only new entries, "$"); MKSTREAM creates the stream if needed; ENTRIESREAD sets the
    /// group's read counter. Returns false when the group exists already (BUSYGROUP).
    /// </summary>
    public async ValueTask<bool> StreamCreateGroupAsync(string stream, string group, StreamPosition? start = null, bool makeStream = false, long? entriesRead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(group);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XGROUP").Add("CREATE").Add(stream).Add(group);
        (start ?? StreamPosition.NewEntries).WriteTo(command, forGroupRead: false);
        if (makeStream)
        {
            command.Add("MKSTREAM");
        }

        if (entriesRead is { } read)
        {
            command.Add("ENTRIESREAD").Add(read);
        }

        try
        {
            return await Execute(command, Parsers.Ok, cancellationToken).ConfigureAwait(false);
        }
        catch (PlatformServerException e) when (e.ErrorCode == "BUSYGROUP")
        {
            return false;
        }
    }

    /// <summary>XGROUP DESTROY: removes a group and its pending entries; false if it did not exist.</summary>
    public ValueTask<bool> StreamDestroyGroupAsync(string stream, string group, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XGROUP").Add("DESTROY").Add(stream).Add(group), Parsers.Boolean, cancellationToken);
    }

    /// <summary>XGROUP SETID: sets the group's last delivered ID (and optionally its ENTRIESREAD counter).</summary>
    public async ValueTask StreamSetGroupIdAsync(string stream, string group, StreamPosition position, long? entriesRead = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XGROUP").Add("SETID").Add(stream).Add(group);
        position.WriteTo(command, forGroupRead: false);
        if (entriesRead is { } read)
        {
            command.Add("ENTRIESREAD").Add(read);
        }

        await Execute(command, Parsers.Ok, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>XGROUP CREATECONSUMER: true if the consumer was created, false if it existed.</summary>
    public ValueTask<bool> StreamCreateConsumerAsync(string stream, string group, string consumer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XGROUP").Add("CREATECONSUMER").Add(stream).Add(group).Add(consumer), Parsers.Boolean, cancellationToken);
    }

    /// <summary>XGROUP DELCONSUMER: removes a consumer; returns how many entries it had pending (they are dropped from the PEL).</summary>
    public ValueTask<long> StreamDeleteConsumerAsync(string stream, string group, string consumer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XGROUP").Add("DELCONSUMER").Add(stream).Add(group).Add(consumer), Parsers.Int64, cancellationToken);
    }

    /// <summary>
    /// XREADGROUP of one stream: with <see cref="StreamPosition.NewEntries"/> (the default, "&gt;"),
    /// entries never delivered to the group; with an ID, this consumer's pending entries after it
    /// (its history). <paramref name="block"/> waits for new entries on a dedicated connection;
    /// <paramref name="noAck"/> does not add them to the PEL.
    /// </summary>
    public async ValueTask<IReadOnlyList<StreamEntry>> StreamReadGroupAsync(string stream, string group, string consumer, StreamPosition? position = null, int? count = null, TimeSpan? block = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        var results = await StreamReadGroupAsync(group, consumer, [new StreamReadRequest(stream, position ?? StreamPosition.NewEntries)], count, block, noAck, cancellationToken).ConfigureAwait(false);
        return results.Count == 0 ? [] : results[0].Entries;
    }

    /// <summary>XREADGROUP over several streams.</summary>
    public ValueTask<IReadOnlyList<StreamReadResult>> StreamReadGroupAsync(string group, string consumer, IReadOnlyList<StreamReadRequest> streams, int? count = null, TimeSpan? block = null, bool noAck = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.Count == 0)
        {
            throw new ArgumentException("Name at least one stream.", nameof(streams));
        }

        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XREADGROUP").Add("GROUP").Add(group).Add(consumer);
        AddCountAndBlock(command, count, block);
        if (noAck)
        {
            command.Add("NOACK");
        }

        command.Add("STREAMS");
        foreach (var request in streams)
        {
            command.Add(request.Stream);
        }

        foreach (var request in streams)
        {
            request.Position.WriteTo(command, forGroupRead: true);
        }

        return block is { } wait
            ? _blocking.ExecuteAsync(command, StreamParsers.ReadResults, wait, cancellationToken)
            : Execute(command, StreamParsers.ReadResults, cancellationToken);
    }

    /// <summary>XACK: acknowledges entries; returns how many were pending.</summary>
    public ValueTask<long> StreamAcknowledgeAsync(string stream, string group, IEnumerable<StreamId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XACK").Add(stream).Add(group);
        foreach (var id in ids)
        {
            command.Add(id);
        }

        return Execute(command, Parsers.Int64, cancellationToken);
    }

    /// <summary>XACK of one entry.</summary>
    public ValueTask<long> StreamAcknowledgeAsync(string stream, string group, StreamId id, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XACK").Add(stream).Add(group).Add(id), Parsers.Int64, cancellationToken);
    }

    /// <summary>XPENDING (summary): how many entries are pending in the group, their ID range, and per consumer.</summary>
    public ValueTask<StreamPendingSummary> StreamPendingAsync(string stream, string group, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XPENDING").Add(stream).Add(group), StreamParsers.PendingSummary, cancellationToken);
    }

    /// <summary>XPENDING (extended): the pending entries in a range, with consumer, idle time and delivery count; IDLE and consumer filters.</summary>
    public ValueTask<IReadOnlyList<StreamPendingEntry>> StreamPendingEntriesAsync(string stream, string group, StreamPendingOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        options ??= new StreamPendingOptions();
        var command = CommandBuilder.Rent("XPENDING").Add(stream).Add(group);
        if (options.MinIdle is { } idle)
        {
            command.Add("IDLE").Add((long)idle.TotalMilliseconds);
        }

        options.Start.WriteTo(command);
        options.End.WriteTo(command);
        command.Add(options.Count);
        if (options.Consumer is not null)
        {
            command.Add(options.Consumer);
        }

        return Execute(command, StreamParsers.PendingEntries, cancellationToken);
    }

    /// <summary>XCLAIM: takes entries idle at least <paramref name="minIdle"/> for <paramref name="consumer"/>; returns the entries claimed.</summary>
    public ValueTask<IReadOnlyList<StreamEntry>> StreamClaimAsync(string stream, string group, string consumer, TimeSpan minIdle, IEnumerable<StreamId> ids, StreamClaimOptions? options = null, CancellationToken cancellationToken = default) =>
        Claim(stream, group, consumer, minIdle, ids, options, justIds: false, cancellationToken);

    /// <summary>XCLAIM ... JUSTID: like <see cref="StreamClaimAsync"/>, returning only the IDs (the delivery count is not incremented).</summary>
    public async ValueTask<IReadOnlyList<StreamId>> StreamClaimIdsAsync(string stream, string group, string consumer, TimeSpan minIdle, IEnumerable<StreamId> ids, StreamClaimOptions? options = null, CancellationToken cancellationToken = default)
    {
        var entries = await Claim(stream, group, consumer, minIdle, ids, options, justIds: true, cancellationToken).ConfigureAwait(false);
        return entries.Select(e => e.Id).ToArray();
    }

    /// <summary>
    /// XAUTOCLAIM: claims for <paramref name="consumer"/> up to <paramref name="count"/> entries idle at
    /// least <paramref name="minIdle"/>, scanning the PEL from <paramref name="start"/>; returns the
    /// entries, the cursor for the next call and the IDs that no longer exist.
    /// </summary>
    public ValueTask<StreamAutoClaimResult> StreamAutoClaimAsync(string stream, string group, string consumer, TimeSpan minIdle, StreamId start = default, int? count = null, bool justIds = false, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XAUTOCLAIM").Add(stream).Add(group).Add(consumer).Add((long)minIdle.TotalMilliseconds).Add(start);
        if (count is { } n)
        {
            command.Add("COUNT").Add(n);
        }

        if (justIds)
        {
            command.Add("JUSTID");
        }

        return Execute<StreamAutoClaimResult>(command, justIds ? StreamParsers.AutoClaimJustIds : StreamParsers.AutoClaim, cancellationToken);
    }

    /// <summary>XINFO GROUPS: the stream's consumer groups.</summary>
    public ValueTask<IReadOnlyList<StreamGroupInfo>> StreamGroupsInfoAsync(string stream, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XINFO").Add("GROUPS").Add(stream), StreamParsers.Groups, cancellationToken);
    }

    /// <summary>XINFO CONSUMERS: the group's consumers.</summary>
    public ValueTask<IReadOnlyList<StreamConsumerInfo>> StreamConsumersInfoAsync(string stream, string group, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("XINFO").Add("CONSUMERS").Add(stream).Add(group), StreamParsers.Consumers, cancellationToken);
    }

    /// <summary>
    /// Runs a consumer worker until <paramref name="cancellationToken"/> is cancelled: reads new
    /// entries for <paramref name="consumer"/> in <paramref name="group"/> (XREADGROUP ... BLOCK), calls
    /// <paramref name="handler"/>, acknowledges each entry once its handler succeeds and leaves failed
    /// ones pending; resumes from its own pending entries on start and after a lost connection;
    /// periodically claims entries idle longer than <see cref="ConsumerOptions.ClaimMinIdle"/> from
    /// any consumer (XAUTOCLAIM); moves an entry delivered more than
    /// <see cref="ConsumerOptions.MaxDeliveries"/> times to the dead-letter stream. See <see cref="ConsumerOptions"/>.
    /// </summary>
    public Task ConsumeAsync(string stream, string group, string consumer, Func<StreamDelivery, CancellationToken, ValueTask> handler, ConsumerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        var worker = new ConsumerWorker(this, stream, group, consumer, handler, options ?? new ConsumerOptions(), _loggerFactory);
        return worker.RunAsync(cancellationToken);
    }

    private ValueTask<IReadOnlyList<StreamEntry>> Claim(string stream, string group, string consumer, TimeSpan minIdle, IEnumerable<StreamId> ids, StreamClaimOptions? options, bool justIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ThrowIfDisposed();
        var command = CommandBuilder.Rent("XCLAIM").Add(stream).Add(group).Add(consumer).Add((long)minIdle.TotalMilliseconds);
        foreach (var id in ids)
        {
            command.Add(id);
        }

        if (options?.Idle is { } idle)
        {
            command.Add("IDLE").Add((long)idle.TotalMilliseconds);
        }

        if (options?.Time is { } time)
        {
            command.Add("TIME").Add(time.ToUnixTimeMilliseconds());
        }

        if (options?.RetryCount is { } retry)
        {
            command.Add("RETRYCOUNT").Add(retry);
        }

        if (options?.Force == true)
        {
            command.Add("FORCE");
        }

        if (justIds)
        {
            command.Add("JUSTID");
        }

        if (options?.LastId is { } lastId)
        {
            command.Add("LASTID").Add(lastId);
        }

        return Execute<IReadOnlyList<StreamEntry>>(command, justIds ? StreamParsers.IdsAsEntries : StreamParsers.Entries, cancellationToken);
    }
}
