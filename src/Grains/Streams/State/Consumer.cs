namespace Platform.Grains.Streams.State;

/// <summary>A consumer of a group: its pending entries and when it was last seen.</summary>
internal sealed class Consumer(string name, long seenTimeMs)
{
    /// <summary>The consumer's name.</summary>
    public string Name { get; } = name;

    /// <summary>When it last read or claimed (Unix ms).</summary>
    public long SeenTimeMs { get; set; } = seenTimeMs;

    /// <summary>Entries delivered to it and not acknowledged.</summary>
    public PendingList Pending { get; } = new();
}
