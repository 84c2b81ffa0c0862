using System.Buffers;

namespace Platform.Grains.PubSub;

/// <summary>
/// One published message on its way to the subscribers of one channel or pattern. The grain that
/// fans out owns it and reuses it for every publish; each wire form is encoded by the first
/// subscriber that needs it and the same bytes serve all the others. Valid only during
/// <see cref="IChannelSubscriber.Deliver"/>: a subscriber copies what it keeps.
/// </summary>
public sealed class ChannelDelivery
{
    private static readonly int EncodingCount = Enum.GetValues<DeliveryEncoding>().Length;

    private readonly ArrayBufferWriter<byte>?[] _encoded = new ArrayBufferWriter<byte>?[EncodingCount];
    private readonly bool[] _valid = new bool[EncodingCount];

    /// <summary>Creates the delivery of one channel, or of one pattern for a pmessage.</summary>
    public ChannelDelivery(DeliveryKind kind, ReadOnlyMemory<byte> channelOrPattern)
    {
        Kind = kind;
        if (kind == DeliveryKind.PatternMessage)
        {
            Pattern = channelOrPattern;
        }
        else
        {
            Channel = channelOrPattern;
        }
    }

    /// <summary>message, pmessage or smessage.</summary>
    public DeliveryKind Kind { get; }

    /// <summary>The channel published to.</summary>
    public ReadOnlyMemory<byte> Channel { get; private set; }

    /// <summary>The pattern that matched (pmessage only).</summary>
    public ReadOnlyMemory<byte> Pattern { get; private set; }

    /// <summary>The message.</summary>
    public ReadOnlyMemory<byte> Payload { get; private set; }

    /// <summary>
    /// The message in <paramref name="encoding"/>, written by <paramref name="encode"/> the first
    /// time it is asked for during this publish.
    /// </summary>
    public ReadOnlySpan<byte> Encoded(DeliveryEncoding encoding, Action<ChannelDelivery, IBufferWriter<byte>> encode)
    {
        var index = (int)encoding;
        var buffer = _encoded[index] ??= new ArrayBufferWriter<byte>(256);
        if (!_valid[index])
        {
            buffer.ResetWrittenCount();
            encode(this, buffer);
            _valid[index] = true;
        }

        return buffer.WrittenSpan;
    }

    /// <summary>Starts a publish of <paramref name="payload"/> to <paramref name="channel"/>.</summary>
    public void Start(ReadOnlyMemory<byte> channel, ReadOnlyMemory<byte> payload)
    {
        Channel = channel;
        Payload = payload;
        Array.Clear(_valid);
    }

    /// <summary>Ends a publish: forgets the message, so the publisher's buffer is not held.</summary>
    public void Finish()
    {
        Payload = default;
        if (Kind == DeliveryKind.PatternMessage)
        {
            Channel = default;
        }

        // A rare huge message should not keep its encodings' buffers alive.
        for (var i = 0; i < _encoded.Length; i++)
        {
            if (_encoded[i] is { Capacity: > 64 * 1024 })
            {
                _encoded[i] = null;
            }
        }
    }
}
