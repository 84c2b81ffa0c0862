namespace Platform.Client;

/// <summary>One end of an XRANGE/XREVRANGE/XPENDING range: "-", "+", an ID (inclusive) or "(ID" (exclusive).</summary>
public readonly struct StreamBound
{
    private readonly StreamId _id;
    private readonly byte _kind; // 0 inclusive id, 1 exclusive id, 2 minimum, 3 maximum

    private StreamBound(StreamId id, byte kind)
    {
        _id = id;
        _kind = kind;
    }

    /// <summary>"-": the smallest ID in the stream.</summary>
    public static StreamBound Minimum => new(default, 2);

    /// <summary>"+": the largest ID in the stream.</summary>
    public static StreamBound Maximum => new(default, 3);

    /// <summary>The ID itself is in the range.</summary>
    public static StreamBound Inclusive(StreamId id) => new(id, 0);

    /// <summary>The ID itself is not in the range ("(ID").</summary>
    public static StreamBound Exclusive(StreamId id) => new(id, 1);

    /// <summary>An inclusive bound.</summary>
    public static implicit operator StreamBound(StreamId id) => Inclusive(id);

    /// <summary>An inclusive bound.</summary>
    public static StreamBound FromStreamId(StreamId id) => Inclusive(id);

    /// <summary>As Redis writes it.</summary>
    public override string ToString() => _kind switch
    {
        2 => "-",
        3 => "+",
        1 => "(" + _id,
        _ => _id.ToString(),
    };

    internal void WriteTo(Protocol.CommandBuilder command)
    {
        if (_kind == 0)
        {
            command.Add(_id);
        }
        else
        {
            command.Add(ToString());
        }
    }
}

/// <summary>
/// Where a read starts: after an ID, from the beginning ("0"), or only new entries ("$" for XREAD
/// and XGROUP, "&gt;" — never delivered to another consumer — for XREADGROUP).
/// </summary>
public readonly struct StreamPosition
{
    private readonly StreamId _id;
    private readonly bool _isNew;

    private StreamPosition(StreamId id, bool isNew)
    {
        _id = id;
        _isNew = isNew;
    }

    /// <summary>From the first entry ("0").</summary>
    public static StreamPosition Beginning => new(StreamId.Zero, false);

    /// <summary>Only entries added from now on ("$"); for XREADGROUP, entries never delivered to any consumer ("&gt;").</summary>
    public static StreamPosition NewEntries => new(default, true);

    /// <summary>Entries with an ID greater than <paramref name="id"/> (for XREADGROUP: this consumer's pending entries after it).</summary>
    public static StreamPosition After(StreamId id) => new(id, false);

    /// <summary>Entries after <paramref name="id"/>.</summary>
    public static implicit operator StreamPosition(StreamId id) => After(id);

    /// <summary>Entries after <paramref name="id"/>.</summary>
    public static StreamPosition FromStreamId(StreamId id) => After(id);

    /// <summary>Whether this is <see cref="NewEntries"/>.</summary>
    public bool IsNewEntries => _isNew;

    /// <summary>The ID, when this is not <see cref="NewEntries"/>.</summary>
    public StreamId Id => _id;

    /// <summary>As XREAD writes it.</summary>
    public override string ToString() => _isNew ? "$" : _id.ToString();

    internal void WriteTo(Protocol.CommandBuilder command, bool forGroupRead)
    {
        if (_isNew)
        {
            command.Add(forGroupRead ? ">" : "$");
        }
        else
        {
            command.Add(_id);
        }
    }
}
