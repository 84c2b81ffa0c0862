using System.Globalization;

namespace Platform.Client;

/// <summary>The kinds of RESP value a <see cref="RespValue"/> can hold.</summary>
public enum RespValueKind
{
    /// <summary>A null (RESP3 <c>_</c>, RESP2 null bulk string or null array).</summary>
    Null,

    /// <summary>A simple string (<c>+OK</c>).</summary>
    SimpleString,

    /// <summary>A bulk or verbatim string.</summary>
    BulkString,

    /// <summary>An error reply.</summary>
    Error,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A RESP3 double.</summary>
    Double,

    /// <summary>A RESP3 boolean.</summary>
    Boolean,

    /// <summary>A RESP3 big number, kept as its text.</summary>
    BigNumber,

    /// <summary>An array.</summary>
    Array,

    /// <summary>A RESP3 set.</summary>
    Set,

    /// <summary>A RESP3 map: its items are key, value, key, value, ...</summary>
    Map,

    /// <summary>A RESP3 push frame.</summary>
    Push,
}

/// <summary>A reply of the untyped API (<see cref="PlatformClient.ExecuteAsync(string, RespArgument[])"/>), fully materialized.</summary>
public sealed class RespValue
{
    private readonly byte[]? _bytes;
    private readonly long _integer;
    private readonly double _double;

    internal RespValue(RespValueKind kind, byte[] bytes)
    {
        Kind = kind;
        _bytes = bytes;
        Items = [];
    }

    internal RespValue(long value)
    {
        Kind = RespValueKind.Integer;
        _integer = value;
        Items = [];
    }

    internal RespValue(double value)
    {
        Kind = RespValueKind.Double;
        _double = value;
        Items = [];
    }

    internal RespValue(bool value)
    {
        Kind = RespValueKind.Boolean;
        _integer = value ? 1 : 0;
        Items = [];
    }

    internal RespValue(RespValueKind kind, IReadOnlyList<RespValue> items)
    {
        Kind = kind;
        Items = items;
    }

    /// <summary>The null value.</summary>
    public static RespValue Null { get; } = new(RespValueKind.Null, Array.Empty<RespValue>());

    /// <summary>What this value is.</summary>
    public RespValueKind Kind { get; }

    /// <summary>The elements of an array, set, push or map (keys and values alternating); empty otherwise.</summary>
    public IReadOnlyList<RespValue> Items { get; }

    /// <summary>Whether this is a null.</summary>
    public bool IsNull => Kind == RespValueKind.Null;

    /// <summary>The bytes of a string, error or big number; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>The integer value (booleans as 0/1; strings parsed).</summary>
    public long AsInt64() => Kind switch
    {
        RespValueKind.Integer or RespValueKind.Boolean => _integer,
        _ => long.Parse(ToString(), CultureInfo.InvariantCulture),
    };

    /// <summary>The double value (integers converted; strings parsed).</summary>
    public double AsDouble() => Kind switch
    {
        RespValueKind.Double => _double,
        RespValueKind.Integer => _integer,
        _ => double.Parse(ToString(), CultureInfo.InvariantCulture),
    };

    /// <summary>The value as text: strings decoded as UTF-8, numbers formatted invariantly, aggregates in brackets.</summary>
    public override string ToString() => Kind switch
    {
        RespValueKind.Null => "(nil)",
        RespValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RespValueKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        RespValueKind.Boolean => _integer != 0 ? "true" : "false",
        RespValueKind.Array or RespValueKind.Set or RespValueKind.Map or RespValueKind.Push => "[" + string.Join(", ", Items) + "]",
        _ => Encoding.UTF8.GetString(_bytes!),
    };
}
