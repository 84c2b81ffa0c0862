using Microsoft.Extensions.Logging;

namespace Platform.Client.Consumers;

/// <summary>
/// The consumer worker behind <see cref="PlatformClient.ConsumeAsync"/>. At-least-once: an entry is
/// acknowledged only after its handler returns; a failed entry stays pending, goes idle, and is
/// claimed again (by this worker or another of the group) once idle for
/// <see cref="ConsumerOptions.ClaimMinIdle"/>; past <see cref="ConsumerOptions.MaxDeliveries"/>
/// deliveries it is copied to the dead-letter stream with its origin and acknowledged.
/// </summary>
internal sealed partial class ConsumerWorker
{
    private const int MaxClaimRoundsPerPass = 16;

    private readonly PlatformClient _client;
    private readonly string _stream;
    private readonly string _group;
    private readonly string _consumer;
    private readonly Func<StreamDelivery, CancellationToken, ValueTask> _handler;
    private readonly ConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly string _deadLetterStream;

    public ConsumerWorker(
        PlatformClient client,
        string stream,
        string group,
        string consumer,
        Func<StreamDelivery, CancellationToken, ValueTask> handler,
        ConsumerOptions options,
        ILoggerFactory loggerFactory)
    {
        if (options.BatchSize < 1 || options.MaxConcurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BatchSize and MaxConcurrency must be at least 1.");
        }

        _client = client;
        _stream = stream;
        _group = group;
        _consumer = consumer;
        _handler = handler;
        _options = options;
        _logger = loggerFactory.CreateLogger<ConsumerWorker>();
        _deadLetterStream = options.DeadLetterStream ?? stream + ":dead";
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var resume = true;
        var groupReady = !_options.CreateGroup;
        var nextClaim = Environment.TickCount64;
        LogStarted(_logger, _stream, _group, _consumer);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!groupReady)
                {
                    await _client.StreamCreateGroupAsync(_stream, _group, _options.GroupStart, makeStream: true, cancellationToken: cancellationToken).ConfigureAwait(false);
                    groupReady = true;
                }

                if (resume)
                {
                    // After a start or a lost connection: first what this consumer was given and did not finish.
                    await ProcessOwnPendingAsync(cancellationToken).ConfigureAwait(false);
                    resume = false;
                }

                if (Environment.TickCount64 >= nextClaim)
                {
                    await ClaimIdleAsync(cancellationToken).ConfigureAwait(false);
                    nextClaim = Environment.TickCount64 + (long)_options.ClaimInterval.TotalMilliseconds;
                }

                var untilClaim = TimeSpan.FromMilliseconds(Math.Max(nextClaim - Environment.TickCount64, 10));
                var block = untilClaim < _options.BlockTime ? untilClaim : _options.BlockTime;
                var entries = await _client.StreamReadGroupAsync(_stream, _group, _consumer, StreamPosition.NewEntries, _options.BatchSize, block, cancellationToken: cancellationToken).ConfigureAwait(false);
                await HandleAllAsync(entries, null, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (PlatformServerException e) when (e.ErrorCode == "NOGROUP")
            {
                // The group (or the stream) was removed: create it again if allowed.
                LogReadFailed(_logger, _stream, _group, _consumer, e.Message);
                groupReady = !_options.CreateGroup;
                await PauseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PlatformClientException e)
            {
                LogReadFailed(_logger, _stream, _group, _consumer, e.Message);
                resume = true;
                await PauseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        LogStopped(_logger, _stream, _group, _consumer);
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.ErrorBackoff, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task ProcessOwnPendingAsync(CancellationToken cancellationToken)
    {
        var cursor = StreamId.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            var entries = await _client.StreamReadGroupAsync(_stream, _group, _consumer, StreamPosition.After(cursor), _options.BatchSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                return;
            }

            await HandleAllAsync(entries, await DeliveryCountsAsync(entries, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            cursor = entries[^1].Id;
            if (entries.Count < _options.BatchSize)
            {
                return;
            }
        }
    }

    private async Task ClaimIdleAsync(CancellationToken cancellationToken)
    {
        var cursor = StreamId.Zero;
        for (var round = 0; round < MaxClaimRoundsPerPass; round++)
        {
            var result = await _client.StreamAutoClaimAsync(_stream, _group, _consumer, _options.ClaimMinIdle, cursor, _options.BatchSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Entries.Count > 0)
            {
                LogClaimed(_logger, _stream, _group, _consumer, result.Entries.Count);
                await HandleAllAsync(result.Entries, await DeliveryCountsAsync(result.Entries, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            cursor = result.NextStart;
            if (cursor == StreamId.Zero)
            {
                return;
            }
        }
    }

    // The delivery counts of entries this consumer holds, from the PEL (XPENDING over their ID range).
    private async Task<Dictionary<StreamId, long>> DeliveryCountsAsync(IReadOnlyList<StreamEntry> entries, CancellationToken cancellationToken)
    {
        var pending = await _client.StreamPendingEntriesAsync(
            _stream,
            _group,
            new StreamPendingOptions
            {
                Start = entries[0].Id,
                End = entries[^1].Id,
                Count = Math.Max(entries.Count, _options.BatchSize),
                Consumer = _consumer,
            },
            cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<StreamId, long>(pending.Count);
        foreach (var entry in pending)
        {
            counts[entry.Id] = entry.DeliveryCount;
        }

        return counts;
    }

    private async Task HandleAllAsync(IReadOnlyList<StreamEntry> entries, Dictionary<StreamId, long>? counts, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        if (_options.MaxConcurrency == 1 || entries.Count == 1)
        {
            foreach (var entry in entries)
            {
                await HandleOneAsync(entry, DeliveryCount(counts, entry), cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await Parallel.ForEachAsync(
            entries,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            (entry, token) => HandleOneAsync(entry, DeliveryCount(counts, entry), token)).ConfigureAwait(false);
    }

    private static long DeliveryCount(Dictionary<StreamId, long>? counts, StreamEntry entry) =>
        counts is not null && counts.TryGetValue(entry.Id, out var count) ? count : 1;

    private async ValueTask HandleOneAsync(StreamEntry entry, long deliveryCount, CancellationToken cancellationToken)
    {
        if (entry.IsDeleted)
        {
            // Deleted from the stream while pending: nothing to handle, drop it from the PEL.
            await _client.StreamAcknowledgeAsync(_stream, _group, entry.Id, cancellationToken).ConfigureAwait(false);
            return;
        }

        var delivery = new StreamDelivery(_stream, _group, _consumer, entry, deliveryCount);
        if (_options.MaxDeliveries > 0 && deliveryCount > _options.MaxDeliveries)
        {
            await DeadLetterAsync(delivery, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _handler(delivery, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Left pending: it is claimed again once idle for ClaimMinIdle.
            LogHandlerFailed(_logger, e, _stream, _group, _consumer, entry.Id.ToString(), deliveryCount);
            return;
        }

        await _client.StreamAcknowledgeAsync(_stream, _group, entry.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeadLetterAsync(StreamDelivery delivery, CancellationToken cancellationToken)
    {
        var fields = new List<StreamField>(delivery.Entry.Fields.Count + 4);
        fields.AddRange(delivery.Entry.Fields);
        fields.Add(new StreamField(DeadLetterFields.OriginalId, delivery.Entry.Id.ToString()));
        fields.Add(new StreamField(DeadLetterFields.OriginalStream, _stream));
        fields.Add(new StreamField(DeadLetterFields.Group, _group));
        fields.Add(new StreamField(DeadLetterFields.DeliveryCount, delivery.DeliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var id = await _client.StreamAddAsync(_deadLetterStream, fields, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _client.StreamAcknowledgeAsync(_stream, _group, delivery.Entry.Id, cancellationToken).ConfigureAwait(false);
        LogDeadLettered(_logger, _stream, _group, delivery.Entry.Id.ToString(), delivery.DeliveryCount, _deadLetterStream, id?.ToString());
    }
}
