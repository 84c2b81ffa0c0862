using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.PubSub;

/// <summary>
/// The confirmations of (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE: kind, name (null when there was
/// nothing to leave) and the client's subscription count; push frames in RESP3.
/// </summary>
internal static class SubscriptionReplies
{
    /// <summary>Writes one confirmation.</summary>
    public static void Write(ReplyWriter reply, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name, bool hasName, int count)
    {
        reply.WritePushHeader(3);
        reply.WriteBulk(kind);
        if (hasName)
        {
            reply.WriteBulk(name);
        }
        else
        {
            reply.WriteNullBulk();
        }

        reply.WriteInteger(count);
    }
}
