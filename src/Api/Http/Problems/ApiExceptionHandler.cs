using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Platform.Api.Http.Problems;

/// <summary>
/// Exceptions that reach the top of a request, as problem details: a body the framework could not
/// read (bad JSON, a missing member, a parameter that does not parse, a body over the limit) is the
/// client's error, 400 or 413, never a 500; anything else is logged and answered 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc/>
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var details = Describe(exception);
        if (details.Status >= 500)
        {
            Log.Failed(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = details.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception })
            .ConfigureAwait(false);
    }

    /// <summary>The detail of a 413, whoever answers it.</summary>
    public const string BodyTooLargeDetail = "ERR the request body is larger than the limit (http:MaxBodyBytes)";

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            Problem.Details(ProblemKind.BodyTooLarge, BodyTooLargeDetail),
        BadHttpRequestException { InnerException: JsonException json } => Problem.Details(ProblemKind.InvalidJson, "ERR " + json.Message),
        BadHttpRequestException bad => Problem.Details(ProblemKind.ForStatus(bad.StatusCode), "ERR " + bad.Message),
        JsonException json => Problem.Details(ProblemKind.InvalidJson, "ERR " + json.Message),

        // A JSON body in a charset .NET does not know ("charset 'x' is not a known encoding").
        InvalidOperationException { InnerException: ArgumentException } unknownCharset =>
            Problem.Details(ProblemKind.UnsupportedMediaType, "ERR " + unknownCharset.Message),
        _ => Problem.Details(ProblemKind.Internal, "ERR internal error"),
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "HTTP {Method} {Path} failed")]
        public static partial void Failed(ILogger logger, Exception exception, string method, string path);
    }
}
