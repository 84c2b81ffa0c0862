namespace Platform.Api.Http.Problems;

/// <summary>
/// One kind of error the HTTP API answers, as an RFC 7807 problem type: its URI, title and status.
/// The detail of each problem is the RESP port's error text for the same failure, so a client
/// reads the same reason whichever protocol it speaks.
/// </summary>
/// <param name="Name">The last part of the type URI.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Title">A short, fixed summary of the kind.</param>
internal sealed record ProblemKind(string Name, int Status, string Title)
{
    /// <summary>The URI prefix of every problem type (a URN: it names the kind, nothing is fetched from it).</summary>
    public const string TypePrefix = "urn:platform:problem:";

    /// <summary>A parameter or body that is not valid (the RESP port's syntax and range errors).</summary>
    public static readonly ProblemKind BadRequest = new("bad-request", StatusCodes.Status400BadRequest, "The request is not valid");

    /// <summary>A body that is not JSON, or not the JSON the endpoint takes.</summary>
    public static readonly ProblemKind InvalidJson = new("invalid-json", StatusCodes.Status400BadRequest, "The body is not valid JSON for this endpoint");

    /// <summary>A stream ID that does not parse.</summary>
    public static readonly ProblemKind InvalidStreamId = new("invalid-stream-id", StatusCodes.Status400BadRequest, "Invalid stream ID");

    /// <summary>The stream does not exist.</summary>
    public static readonly ProblemKind NoSuchStream = new("no-such-stream", StatusCodes.Status404NotFound, "No such stream");

    /// <summary>The stream or its consumer group does not exist.</summary>
    public static readonly ProblemKind NoSuchGroup = new("no-such-group", StatusCodes.Status404NotFound, "No such stream or consumer group");

    /// <summary>The entry does not exist.</summary>
    public static readonly ProblemKind NoSuchEntry = new("no-such-entry", StatusCodes.Status404NotFound, "No such stream entry");

    /// <summary>requirepass is set and the request does not carry the password (NOAUTH, WRONGPASS).</summary>
    public static readonly ProblemKind Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "Authentication required");

    /// <summary>No endpoint at this path.</summary>
    public static readonly ProblemKind NotFound = new("not-found", StatusCodes.Status404NotFound, "Not found");

    /// <summary>The path exists, not with this method.</summary>
    public static readonly ProblemKind MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "Method not allowed");

    /// <summary>The consumer group exists already.</summary>
    public static readonly ProblemKind GroupExists = new("group-exists", StatusCodes.Status409Conflict, "The consumer group exists already");

    /// <summary>The ID given is not greater than the stream's top entry (or smaller than what it must exceed).</summary>
    public static readonly ProblemKind IdTooSmall = new("id-too-small", StatusCodes.Status409Conflict, "The ID is not greater than the stream's top entry");

    /// <summary>The stream's state does not allow the change (exhausted IDs, entries-added below the length).</summary>
    public static readonly ProblemKind StreamConflict = new("stream-conflict", StatusCodes.Status409Conflict, "The stream's state does not allow this change");

    /// <summary>A body larger than the configured limit.</summary>
    public static readonly ProblemKind BodyTooLarge = new("body-too-large", StatusCodes.Status413PayloadTooLarge, "The body is larger than the limit");

    /// <summary>A body in a media type the endpoint does not take.</summary>
    public static readonly ProblemKind UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "Unsupported media type");

    /// <summary>Anything the server did not expect; logged.</summary>
    public static readonly ProblemKind Internal = new("internal", StatusCodes.Status500InternalServerError, "Internal error");

    /// <summary>The store fails: writes are refused (Redis's MISCONF).</summary>
    public static readonly ProblemKind StorageFailing = new("storage-failing", StatusCodes.Status503ServiceUnavailable, "Storage is failing; writes are refused");

    /// <summary>The type URI.</summary>
    public string Type => TypePrefix + Name;

    /// <summary>Every kind, for the OpenAPI document's description.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        BadRequest, InvalidJson, InvalidStreamId, Unauthorized, NoSuchStream, NoSuchGroup, NoSuchEntry, NotFound, MethodNotAllowed,
        GroupExists, IdTooSmall, StreamConflict, BodyTooLarge, UnsupportedMediaType, Internal, StorageFailing,
    ];

    /// <summary>The kind a bare status code stands for (the status code pages, the framework's own errors).</summary>
    public static ProblemKind ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => BodyTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        >= 500 => Internal,
        _ => BadRequest,
    };
}
