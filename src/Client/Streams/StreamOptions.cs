namespace Platform.Client;

/// <summary>How a stream is trimmed: by length (MAXLEN) or by lowest ID (MINID), exactly (=) or approximately (~), with an optional LIMIT.</summary>
public sealed class StreamTrimOptions
{
    private StreamTrimOptions(long? maxLength, StreamId? minId, bool approximate, long? limit)
    {
        MaxLength = maxLength;
        MinId = minId;
        Approximate = approximate;
        Limit = limit;
    }

    /// <summary>The length to trim to (MAXLEN), if trimming by length.</summary>
    public long? MaxLength { get; }

    /// <summary>The lowest ID to keep (MINID), if trimming by ID.</summary>
    public StreamId? MinId { get; }

    /// <summary>"~": Redis may keep a few more entries, trimming only whole nodes (cheaper).</summary>
    public bool Approximate { get; }

    /// <summary>LIMIT: at most this many entries evicted (approximate trimming only).</summary>
    public long? Limit { get; }

    /// <summary>MAXLEN [=|~] count [LIMIT n].</summary>
    public static StreamTrimOptions ToMaxLength(long maxLength, bool approximate = false, long? limit = null) =>
        new(maxLength, null, approximate, limit);

    /// <summary>MINID [=|~] id [LIMIT n].</summary>
    public static StreamTrimOptions ToMinId(StreamId minId, bool approximate = false, long? limit = null) =>
        new(null, minId, approximate, limit);

    internal void WriteTo(Protocol.CommandBuilder command)
    {
        if (MaxLength is { } maxLength)
        {
            command.Add("MAXLEN").Add(Approximate ? "~" : "=").Add(maxLength);
        }
        else
        {
            command.Add("MINID").Add(Approximate ? "~" : "=").Add(MinId!.Value);
        }

        if (Limit is { } limit)
        {
            command.Add("LIMIT").Add(limit);
        }
    }
}

/// <summary>Options of XADD.</summary>
public sealed class StreamAddOptions
{
    /// <summary>An explicit ID; null lets the server choose ("*").</summary>
    public StreamId? Id { get; init; }

    /// <summary>An explicit ID as text, e.g. "1700000000000-*" (auto sequence); overrides <see cref="Id"/>.</summary>
    public string? IdText { get; init; }

    /// <summary>NOMKSTREAM: do not create the stream if it does not exist (XADD then returns null).</summary>
    public bool NoMakeStream { get; init; }

    /// <summary>Trim the stream in the same command (MAXLEN / MINID).</summary>
    public StreamTrimOptions? Trim { get; init; }
}

/// <summary>Options of XCLAIM.</summary>
public sealed class StreamClaimOptions
{
    /// <summary>IDLE: set the entries' idle time to this instead of zero.</summary>
    public TimeSpan? Idle { get; init; }

    /// <summary>TIME: set the entries' last delivery time to this instant.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>RETRYCOUNT: set the delivery count to this instead of incrementing it.</summary>
    public long? RetryCount { get; init; }

    /// <summary>FORCE: create pending entries for IDs that are not pending (if they exist in the stream).</summary>
    public bool Force { get; init; }

    /// <summary>LASTID: update the group's last delivered ID.</summary>
    public StreamId? LastId { get; init; }
}
