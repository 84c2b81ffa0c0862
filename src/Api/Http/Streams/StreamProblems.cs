using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Http.Problems;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>The stream errors as problems, each with the RESP port's error text as its detail.</summary>
internal static class StreamProblems
{
    /// <summary>The key does not exist (XINFO STREAM, XSETID).</summary>
    public static ProblemHttpResult NoKey() => Problem.Of(ProblemKind.NoSuchStream, "ERR no such key");

    /// <summary>XGROUP on a missing key.</summary>
    public static ProblemHttpResult GroupNeedsKey() => Problem.Of(
        ProblemKind.NoSuchStream,
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");

    /// <summary>The key or the group is missing (XREADGROUP, XACK, XPENDING, XCLAIM...).</summary>
    public static ProblemHttpResult NoKeyOrGroup(string key, string group) =>
        Problem.Of(ProblemKind.NoSuchGroup, $"NOGROUP No such key '{key}' or consumer group '{group}'");

    /// <summary>The key exists, the group does not (XGROUP SETID, XINFO CONSUMERS).</summary>
    public static ProblemHttpResult NoGroupForKey(string key, string group) =>
        Problem.Of(ProblemKind.NoSuchGroup, $"NOGROUP No such consumer group '{group}' for key name '{key}'");

    /// <summary>XADD's refusals.</summary>
    public static ProblemHttpResult AddFailed(StreamError error) => error switch
    {
        StreamError.NoKey => Problem.Of(ProblemKind.NoSuchStream, "ERR no such key (noMakeStream was given)"),
        StreamError.IdZero => Problem.Of(ProblemKind.InvalidStreamId, "ERR The ID specified in XADD must be greater than 0-0"),
        StreamError.Exhausted => Problem.Of(ProblemKind.StreamConflict, "ERR The stream has exhausted the last possible ID, unable to add more items"),
        _ => Problem.Of(ProblemKind.IdTooSmall, "ERR The ID specified in XADD is equal or smaller than the target stream top item"),
    };

    /// <summary>A blocked read's stream or group went away while it waited.</summary>
    public static ProblemHttpResult WaitFailed(StreamError error) => error == StreamError.KeyDeletedWhileBlocked
        ? Problem.Of(ProblemKind.NoSuchStream, "UNBLOCKED the stream key no longer exists")
        : Problem.Of(ProblemKind.NoSuchGroup, "NOGROUP the consumer group this client was blocked on no longer exists");
}
