using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Http.Problems;

/// <summary>
/// Problem details (RFC 7807) as this API writes them: <c>type</c>, <c>title</c> and
/// <c>status</c> from the <see cref="ProblemKind"/>, <c>detail</c> the RESP port's error text
/// for the same failure, and <c>code</c> that text's first word (ERR, NOGROUP, BUSYGROUP,
/// MISCONF...), so a client can branch on it as on a Redis error.
/// </summary>
internal static class Problem
{
    /// <summary>The problem as an endpoint's result.</summary>
    public static ProblemHttpResult Of(ProblemKind kind, string detail) => TypedResults.Problem(Details(kind, detail));

    /// <summary>The problem details object (for writers outside endpoints).</summary>
    public static ProblemDetails Details(ProblemKind kind, string detail)
    {
        var details = new ProblemDetails
        {
            Type = kind.Type,
            Title = kind.Title,
            Status = kind.Status,
            Detail = detail,
        };
        details.Extensions["code"] = CodeOf(detail);
        return details;
    }

    /// <summary>Fills in a problem the framework made (status code pages, exceptions) the same way.</summary>
    public static void Complete(ProblemDetails details, ProblemKind kind)
    {
        details.Type = kind.Type;
        details.Title = kind.Title;
        details.Status ??= kind.Status;
        details.Detail ??= kind.Title;
        details.Extensions["code"] = CodeOf(details.Detail);
    }

    // Redis's error code: the first word when it is in capitals, else ERR (as INFO errorstats counts it).
    private static string CodeOf(string detail)
    {
        var space = detail.IndexOf(' ', StringComparison.Ordinal);
        var word = space > 0 ? detail[..space] : detail;
        return word.Length > 0 && word.All(c => c is >= 'A' and <= 'Z') ? word : "ERR";
    }
}
