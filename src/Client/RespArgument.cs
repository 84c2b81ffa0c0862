using System.Globalization;

namespace Platform.Client;

/// <summary>
/// One argument of a command sent through the untyped API: text (sent as UTF-8), bytes, or a
/// number (sent as its decimal text, as Redis expects).
/// </summary>
public readonly struct RespArgument
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;

    private RespArgument(string? text, ReadOnlyMemory<byte> bytes)
    {
        _text = text;
        _bytes = bytes;
    }

    /// <summary>A text argument.</summary>
    public static implicit operator RespArgument(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), default);

    /// <summary>A binary argument.</summary>
    public static implicit operator RespArgument(ReadOnlyMemory<byte> value) => new(null, value);

    /// <summary>A binary argument.</summary>
    public static implicit operator RespArgument(byte[] value) => new(null, value);

    /// <summary>An integer argument.</summary>
    public static implicit operator RespArgument(long value) => new(value.ToString(CultureInfo.InvariantCulture), default);

    /// <summary>A floating-point argument.</summary>
    public static implicit operator RespArgument(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), default);

    /// <summary>A text argument.</summary>
    public static RespArgument FromString(string value) => value;

    /// <summary>A binary argument.</summary>
    public static RespArgument FromBytes(ReadOnlyMemory<byte> value) => value;

    /// <summary>The argument as text (bytes decoded as UTF-8).</summary>
    public override string ToString() => _text ?? Encoding.UTF8.GetString(_bytes.Span);

    internal void WriteTo(Protocol.CommandBuilder builder)
    {
        if (_text is not null)
        {
            builder.Add(_text);
        }
        else
        {
            builder.Add(_bytes.Span);
        }
    }
}
