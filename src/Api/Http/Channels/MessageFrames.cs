using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Platform.Api.Http.Json;
using Platform.Grains.PubSub;

namespace Platform.Api.Http.Channels;

/// <summary>
/// A published message in the HTTP wire forms, each written once per publish whatever the number
/// of subscribers: the JSON object <c>{"type":"message"|"pmessage", "pattern"?, "channel", "data"}</c>
/// (names and payload as <see cref="ByteText"/> says), as an SSE event or as a WebSocket message.
/// </summary>
internal static class MessageFrames
{
    /// <summary>The writer options of every frame: compact, UTF-8 unescaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes an SSE event: <c>event: message|pmessage</c> and the JSON as its data.</summary>
    public static readonly Action<ChannelDelivery, IBufferWriter<byte>> ServerSentEvent = static (delivery, output) =>
    {
        output.Write(delivery.Kind == DeliveryKind.PatternMessage ? "event: pmessage\ndata: "u8 : "event: message\ndata: "u8);
        WriteJson(delivery, output);
        output.Write("\n\n"u8);
    };

    /// <summary>Writes the JSON of a WebSocket text message, and the newline that ends it in an outbox.</summary>
    public static readonly Action<ChannelDelivery, IBufferWriter<byte>> WebSocket = static (delivery, output) =>
    {
        WriteJson(delivery, output);
        output.Write("\n"u8);
    };

    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText PatternMessage = JsonEncodedText.Encode("pmessage");
    private static readonly JsonEncodedText Pattern = JsonEncodedText.Encode("pattern");
    private static readonly JsonEncodedText PatternBase64 = JsonEncodedText.Encode("patternBase64");
    private static readonly JsonEncodedText Channel = JsonEncodedText.Encode("channel");
    private static readonly JsonEncodedText ChannelBase64 = JsonEncodedText.Encode("channelBase64");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText DataBase64 = JsonEncodedText.Encode("dataBase64");

    // What a writer points at between frames, so it does not keep a delivery's buffer alive.
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    // One writer per thread, pointed at each delivery's buffer in turn: no allocation per publish.
    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    private static void WriteJson(ChannelDelivery delivery, IBufferWriter<byte> output)
    {
        var writer = _threadWriter ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        writer.WriteStartObject();
        if (delivery.Kind == DeliveryKind.PatternMessage)
        {
            writer.WriteString(Type, PatternMessage);
            ByteText.Write(writer, Pattern, PatternBase64, delivery.Pattern.Span);
        }
        else
        {
            writer.WriteString(Type, Message);
        }

        ByteText.Write(writer, Channel, ChannelBase64, delivery.Channel.Span);
        ByteText.Write(writer, Data, DataBase64, delivery.Payload.Span);
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset(Detached);
    }
}
