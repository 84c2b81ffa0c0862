using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Api.Http.Json;
using Platform.Api.Http.Problems;
using Platform.Api.Resp.Commands.Streams;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>
/// Stream arguments given over HTTP, parsed by the RESP port's own parsers (<see cref="StreamIds"/>)
/// and checked in the same order with the same error texts as XADD, XTRIM and XRANGE.
/// </summary>
internal static class StreamArguments
{
    /// <summary>The RESP port's text for an ID that does not parse.</summary>
    public const string InvalidIdText = "ERR Invalid stream ID specified as stream command argument";

    /// <summary>An entry ID "ms-seq" (or "ms", sequence 0).</summary>
    public static bool TryParseId(string? text, out StreamId id, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = null;
        if (text is not null && StreamIds.TryParse(Encoding.UTF8.GetBytes(text), 0, strict: true, out id))
        {
            return true;
        }

        id = default;
        problem = InvalidId();
        return false;
    }

    /// <summary>Several IDs, at least one, as XACK and XCLAIM take them (<paramref name="command"/> names which, for the error).</summary>
    public static bool TryParseIds(
        IReadOnlyList<string>? texts, string command, out StreamId[] ids, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        ids = new StreamId[texts?.Count ?? 0];
        if (ids.Length == 0)
        {
            problem = BadRequest($"ERR wrong number of arguments for '{command}' command");
            return false;
        }

        for (var i = 0; i < ids.Length; i++)
        {
            if (!TryParseId(texts![i], out ids[i], out problem))
            {
                return false;
            }
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// An interval, as XRANGE reads it: "-" and "+", an ID ("ms" meaning from ms-0 to ms-max),
    /// or "(" and an ID for an exclusive bound.
    /// </summary>
    public static bool TryParseInterval(
        string start, string end, out StreamId from, out StreamId to, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        to = default;
        problem = null;
        if (!StreamIds.TryParseBound(Encoding.UTF8.GetBytes(start), 0, out from, out var startExclusive))
        {
            problem = InvalidId();
            return false;
        }

        if (startExclusive && !from.TryIncrement(out from))
        {
            problem = Problem.Of(ProblemKind.InvalidStreamId, "ERR invalid start ID for the interval");
            return false;
        }

        if (!StreamIds.TryParseBound(Encoding.UTF8.GetBytes(end), ulong.MaxValue, out to, out var endExclusive))
        {
            problem = InvalidId();
            return false;
        }

        if (endExclusive && !to.TryDecrement(out to))
        {
            problem = Problem.Of(ProblemKind.InvalidStreamId, "ERR invalid end ID for the interval");
            return false;
        }

        return true;
    }

    /// <summary>XADD's ID: "*" (or none), "ms-*" or "ms-seq".</summary>
    public static bool TryParseAddId(string? text, out StreamId id, out IdMode mode, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        id = StreamId.Min;
        mode = IdMode.Auto;
        problem = null;
        if (text is null or "*")
        {
            return true;
        }

        if (!StreamIds.TryParse(Encoding.UTF8.GetBytes(text), 0, strict: true, allowAutoSequence: true, out id, out var sequenceGiven))
        {
            problem = InvalidId();
            return false;
        }

        mode = sequenceGiven ? IdMode.Explicit : IdMode.AutoSequence;
        return true;
    }

    /// <summary>
    /// Trimming options, checked as Redis's streamParseAddOrTrimArgsOrReply checks them;
    /// <paramref name="required"/> for XTRIM, which must have a strategy.
    /// </summary>
    public static bool TryParseTrim(TrimSpec? spec, bool required, out TrimRequest trim, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        trim = TrimRequest.None;
        problem = null;
        spec ??= new TrimSpec();
        if (spec.MaxLen is not null && spec.MinId is not null)
        {
            problem = BadRequest("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
            return false;
        }

        var strategy = TrimStrategy.None;
        var minId = StreamId.Min;
        if (spec.MaxLen is { } maxLen)
        {
            if (maxLen < 0)
            {
                problem = BadRequest("ERR The MAXLEN argument must be >= 0.");
                return false;
            }

            strategy = TrimStrategy.MaxLength;
        }
        else if (spec.MinId is not null)
        {
            if (!TryParseId(spec.MinId, out minId, out problem))
            {
                return false;
            }

            strategy = TrimStrategy.MinId;
        }

        if (spec.Limit is < 0)
        {
            problem = BadRequest("ERR The LIMIT argument must be >= 0.");
            return false;
        }

        if (spec.Limit is not (null or 0) && strategy == TrimStrategy.None)
        {
            problem = BadRequest("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            return false;
        }

        if (required && strategy == TrimStrategy.None)
        {
            problem = BadRequest("ERR syntax error, XTRIM must be called with a trimming strategy");
            return false;
        }

        if (spec.Limit is not null && !spec.Approximate)
        {
            problem = BadRequest("ERR syntax error, LIMIT cannot be used without the special ~ option");
            return false;
        }

        var limit = spec.Limit ?? (spec.Approximate ? AddOrTrimArguments.DefaultApproximateLimit : 0);
        trim = new TrimRequest(strategy, spec.MaxLen ?? -1, minId, spec.Approximate, limit);
        return true;
    }

    /// <summary>An entry's fields and values, alternating, from <c>fields</c> or <c>fieldsBase64</c>.</summary>
    public static bool TryParseFields(AddEntryRequest request, out ReadOnlyMemory<byte>[] fieldsAndValues, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        fieldsAndValues = [];
        problem = null;
        if (request.Fields is not null && request.FieldsBase64 is not null)
        {
            problem = BadRequest("ERR give either 'fields' or 'fieldsBase64', not both");
            return false;
        }

        if (request.Fields is { Count: > 0 } fields)
        {
            fieldsAndValues = new ReadOnlyMemory<byte>[fields.Count * 2];
            var i = 0;
            foreach (var (name, value) in fields)
            {
                // The serializer lets null through as a dictionary's value.
                if (value is null)
                {
                    problem = Problem.Of(ProblemKind.InvalidJson, $"ERR the value of field '{name}' is null: values are strings");
                    return false;
                }

                fieldsAndValues[i++] = Encoding.UTF8.GetBytes(name);
                fieldsAndValues[i++] = Encoding.UTF8.GetBytes(value);
            }

            return true;
        }

        if (request.FieldsBase64 is not { Count: > 0 } pairs)
        {
            problem = BadRequest("ERR wrong number of arguments for 'xadd' command");
            return false;
        }

        fieldsAndValues = new ReadOnlyMemory<byte>[pairs.Count * 2];
        for (var p = 0; p < pairs.Count; p++)
        {
            if (pairs[p] is not [{ } name, { } value])
            {
                problem = BadRequest("ERR each item of 'fieldsBase64' must be a [name, value] pair");
                return false;
            }

            if (!ByteText.TryDecode(name, "fieldsBase64", out var nameBytes, out var error)
                || !ByteText.TryDecode(value, "fieldsBase64", out var valueBytes, out error))
            {
                problem = BadRequest(error);
                return false;
            }

            fieldsAndValues[2 * p] = nameBytes;
            fieldsAndValues[(2 * p) + 1] = valueBytes;
        }

        return true;
    }

    /// <summary>A count that must not be negative.</summary>
    public static bool TryCheckCount(long count, string name, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        problem = count < 0 ? BadRequest($"ERR '{name}' must be >= 0") : null;
        return problem is null;
    }

    /// <summary>The RESP port's error for an ID that does not parse.</summary>
    public static ProblemHttpResult InvalidId() => Problem.Of(ProblemKind.InvalidStreamId, InvalidIdText);

    private static ProblemHttpResult BadRequest(string detail) => Problem.Of(ProblemKind.BadRequest, detail);
}
