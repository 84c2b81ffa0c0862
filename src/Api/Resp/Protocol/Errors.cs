namespace Platform.Api.Resp.Protocol;

/// <summary>
/// Redis's error replies, byte for byte, without the leading '-' and the closing CRLF (the
/// reply writer adds both). One table, each text used by name, so a mismatch with Redis is
/// mended in one place.
/// </summary>
internal static class Errors
{
    public static ReadOnlySpan<byte> Syntax => "ERR syntax error"u8;
    public static ReadOnlySpan<byte> NotInteger => "ERR value is not an integer or out of range"u8;
    public static ReadOnlySpan<byte> DbIndexOutOfRange => "ERR DB index is out of range"u8;
    public static ReadOnlySpan<byte> SameObject => "ERR source and destination objects are the same"u8;
    public static ReadOnlySpan<byte> UnblockedByClient => "UNBLOCKED client unblocked via CLIENT UNBLOCK"u8;
    public static ReadOnlySpan<byte> TimeoutNotInteger => "ERR timeout is not an integer or out of range"u8;
    public static ReadOnlySpan<byte> TimeoutNegative => "ERR timeout is negative"u8;
    public static ReadOnlySpan<byte> NotInt32 => "ERR value is out of range, value must between -2147483648 and 2147483647"u8;
    public static ReadOnlySpan<byte> NoAuth => "NOAUTH Authentication required."u8;
    public static ReadOnlySpan<byte> WrongPass => "WRONGPASS invalid username-password pair or user is disabled."u8;
    public static ReadOnlySpan<byte> AuthWithoutPassword =>
        "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"u8;
    public static ReadOnlySpan<byte> HelloNoAuth =>
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time"u8;
    public static ReadOnlySpan<byte> NoProto => "NOPROTO unsupported protocol version"u8;
    public static ReadOnlySpan<byte> ProtocolVersionNotInteger => "ERR Protocol version is not an integer or out of range"u8;
    public static ReadOnlySpan<byte> InvalidClientName =>
        "ERR Client names cannot contain spaces, newlines or special characters."u8;
    public static ReadOnlySpan<byte> NoSuchClient => "ERR No such client"u8;
    public static ReadOnlySpan<byte> ClientIdNotPositive => "ERR client-id should be greater than 0"u8;
    public static ReadOnlySpan<byte> InvalidClientId => "ERR Invalid client ID"u8;
    public static ReadOnlySpan<byte> MaxClientsReached => "ERR max number of clients reached"u8;

    // Protocol errors: the connection is closed once the reply is written.
    public static ReadOnlySpan<byte> InvalidMultibulkLength => "ERR Protocol error: invalid multibulk length"u8;
    public static ReadOnlySpan<byte> InvalidBulkLength => "ERR Protocol error: invalid bulk length"u8;
    public static ReadOnlySpan<byte> UnauthenticatedMultibulkLength => "ERR Protocol error: unauthenticated multibulk length"u8;
    public static ReadOnlySpan<byte> UnauthenticatedBulkLength => "ERR Protocol error: unauthenticated bulk length"u8;
    public static ReadOnlySpan<byte> TooBigMultibulkCount => "ERR Protocol error: too big mbulk count string"u8;
    public static ReadOnlySpan<byte> TooBigBulkCount => "ERR Protocol error: too big bulk count string"u8;
    public static ReadOnlySpan<byte> TooBigInlineRequest => "ERR Protocol error: too big inline request"u8;
    public static ReadOnlySpan<byte> UnbalancedQuotes => "ERR Protocol error: unbalanced quotes in request"u8;

    /// <summary>The reply to a protocol error; <see cref="ProtocolError.ExpectedDollar"/> is formatted apart.</summary>
    public static ReadOnlySpan<byte> For(ProtocolError error) => error switch
    {
        ProtocolError.InvalidMultibulkLength => InvalidMultibulkLength,
        ProtocolError.InvalidBulkLength => InvalidBulkLength,
        ProtocolError.UnauthenticatedMultibulkLength => UnauthenticatedMultibulkLength,
        ProtocolError.UnauthenticatedBulkLength => UnauthenticatedBulkLength,
        ProtocolError.TooBigMultibulkCount => TooBigMultibulkCount,
        ProtocolError.TooBigBulkCount => TooBigBulkCount,
        ProtocolError.TooBigInlineRequest => TooBigInlineRequest,
        ProtocolError.UnbalancedQuotes => UnbalancedQuotes,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };
}
