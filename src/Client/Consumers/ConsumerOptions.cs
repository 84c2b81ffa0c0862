namespace Platform.Client;

/// <summary>How a consumer worker (<see cref="PlatformClient.ConsumeAsync"/>) reads, retries and dead-letters.</summary>
public sealed class ConsumerOptions
{
    /// <summary>Entries read per XREADGROUP / XAUTOCLAIM call (COUNT).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>How long one XREADGROUP waits for new entries (BLOCK).</summary>
    public TimeSpan BlockTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many handlers run at once (1: one entry at a time, in order).</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Entries pending (with any consumer, this one included) for at least this long are claimed and handled again.</summary>
    public TimeSpan ClaimMinIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often idle entries are claimed (XAUTOCLAIM).</summary>
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An entry delivered more than this many times goes to the dead-letter stream instead of the handler; 0 turns dead-lettering off.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>The dead-letter stream; "&lt;stream&gt;:dead" when null.</summary>
    public string? DeadLetterStream { get; set; }

    /// <summary>Create the group (and the stream) when it does not exist, delivering from <see cref="GroupStart"/>.</summary>
    public bool CreateGroup { get; set; } = true;

    /// <summary>Where a group created by the worker starts: <see cref="StreamPosition.Beginning"/> (default) or <see cref="StreamPosition.NewEntries"/>.</summary>
    public StreamPosition GroupStart { get; set; } = StreamPosition.Beginning;

    /// <summary>The pause after a failed read (the server away, say) before the worker tries again.</summary>
    public TimeSpan ErrorBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>An entry handed to a consumer worker's handler.</summary>
public sealed class StreamDelivery
{
    /// <summary>Creates a delivery.</summary>
    public StreamDelivery(string stream, string group, string consumer, StreamEntry entry, long deliveryCount)
    {
        Stream = stream;
        Group = group;
        Consumer = consumer;
        Entry = entry;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The stream's key.</summary>
    public string Stream { get; }

    /// <summary>The consumer group.</summary>
    public string Group { get; }

    /// <summary>The consumer handling it.</summary>
    public string Consumer { get; }

    /// <summary>The entry.</summary>
    public StreamEntry Entry { get; }

    /// <summary>How many times the entry has been delivered, this time included (1 the first time).</summary>
    public long DeliveryCount { get; }

    /// <summary>Whether this is a redelivery (after a failure or from a dead consumer).</summary>
    public bool IsRetry => DeliveryCount > 1;
}

/// <summary>The fields a consumer worker adds to an entry it moves to the dead-letter stream (after the entry's own fields).</summary>
public static class DeadLetterFields
{
    /// <summary>The entry's ID in its original stream.</summary>
    public const string OriginalId = "dead-letter-original-id";

    /// <summary>The stream the entry came from.</summary>
    public const string OriginalStream = "dead-letter-original-stream";

    /// <summary>The consumer group that gave up on it.</summary>
    public const string Group = "dead-letter-group";

    /// <summary>How many times it had been delivered.</summary>
    public const string DeliveryCount = "dead-letter-delivery-count";
}
