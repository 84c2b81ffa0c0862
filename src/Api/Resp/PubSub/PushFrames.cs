using System.Buffers;
using Platform.Api.Resp.Protocol;
using Platform.Grains.PubSub;

namespace Platform.Api.Resp.PubSub;

/// <summary>
/// The RESP forms of a published message: an array in RESP2 (subscribed mode), a push frame in
/// RESP3: message/smessage channel payload, or pmessage pattern channel payload.
/// </summary>
internal static class PushFrames
{
    private static readonly Action<ChannelDelivery, IBufferWriter<byte>> Resp2 = (delivery, writer) => Write(delivery, writer, '*');
    private static readonly Action<ChannelDelivery, IBufferWriter<byte>> Resp3 = (delivery, writer) => Write(delivery, writer, '>');

    /// <summary>The frame for a connection speaking <paramref name="protocol"/>, encoded once per publish.</summary>
    public static ReadOnlySpan<byte> For(ChannelDelivery delivery, int protocol) =>
        protocol == 3 ? delivery.Encoded(DeliveryEncoding.Resp3, Resp3) : delivery.Encoded(DeliveryEncoding.Resp2, Resp2);

    private static void Write(ChannelDelivery delivery, IBufferWriter<byte> writer, char header)
    {
        var pattern = delivery.Kind == DeliveryKind.PatternMessage;
        WriteHeader(writer, header, pattern ? 4 : 3);
        writer.Write(delivery.Kind switch
        {
            DeliveryKind.PatternMessage => "$8\r\npmessage\r\n"u8,
            DeliveryKind.ShardMessage => "$8\r\nsmessage\r\n"u8,
            _ => "$7\r\nmessage\r\n"u8,
        });
        if (pattern)
        {
            WriteBulk(writer, delivery.Pattern.Span);
        }

        WriteBulk(writer, delivery.Channel.Span);
        WriteBulk(writer, delivery.Payload.Span);
    }

    private static void WriteHeader(IBufferWriter<byte> writer, char header, int count)
    {
        var span = writer.GetSpan(4);
        span[0] = (byte)header;
        span[1] = (byte)('0' + count);
        span[2] = (byte)'\r';
        span[3] = (byte)'\n';
        writer.Advance(4);
    }

    private static void WriteBulk(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        var span = writer.GetSpan(value.Length + RedisNumbers.MaxInt64Length + 5);
        span[0] = (byte)'$';
        var n = 1 + RedisNumbers.Format(value.Length, span[1..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
    }
}
