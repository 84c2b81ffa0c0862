namespace Platform.Api.Resp.Protocol;

/// <summary>Why a request could not be parsed; each has Redis's reply in <see cref="Errors"/>.</summary>
internal enum ProtocolError
{
    /// <summary>No error.</summary>
    None,

    /// <summary><c>*</c> count is not a number or exceeds int range.</summary>
    InvalidMultibulkLength,

    /// <summary><c>$</c> length is not a number, negative, or above proto-max-bulk-len.</summary>
    InvalidBulkLength,

    /// <summary>More than 10 arguments before AUTH.</summary>
    UnauthenticatedMultibulkLength,

    /// <summary>An argument longer than 16 KiB before AUTH.</summary>
    UnauthenticatedBulkLength,

    /// <summary>A bulk header line did not start with <c>$</c>.</summary>
    ExpectedDollar,

    /// <summary>No end of the <c>*</c> line within 64 KiB.</summary>
    TooBigMultibulkCount,

    /// <summary>No end of a <c>$</c> line within 64 KiB.</summary>
    TooBigBulkCount,

    /// <summary>No end of an inline command within 64 KiB.</summary>
    TooBigInlineRequest,

    /// <summary>An inline command whose quotes do not close.</summary>
    UnbalancedQuotes,
}
