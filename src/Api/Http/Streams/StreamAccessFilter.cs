using Platform.Api.Http.Problems;
using Platform.Api.Server;

namespace Platform.Api.Http.Streams;

/// <summary>
/// What every stream endpoint does around its work, as the RESP port does around each command:
/// checks <c>?db=</c>; refuses writes while the store fails (Redis's MISCONF, 503); counts a
/// successful write as a change since the last save; and, under appendfsync always, answers only
/// once every change made so far is committed, so no client sees data that a crash could lose.
/// </summary>
internal sealed class StreamAccessFilter(bool writes) : IEndpointFilter
{
    /// <inheritdoc/>
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var server = http.RequestServices.GetRequiredService<ServerContext>();
        if (http.Request.Query.TryGetValue("db", out var db) && (!int.TryParse(db, out var database) || database < 0 || database >= server.Config.Databases))
        {
            return Problem.Of(ProblemKind.BadRequest, "ERR DB index is out of range");
        }

        var persistence = server.Persistence;
        if (writes && persistence.Error is { } error)
        {
            return Problem.Of(ProblemKind.StorageFailing, $"MISCONF Errors writing to the AOF file: {error}");
        }

        var result = await next(context).ConfigureAwait(false);
        if (writes && result is not IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            persistence.Changed();
        }

        await persistence.Journal.BarrierAsync().ConfigureAwait(false);
        return result;
    }
}

/// <summary>Marks endpoints as readers or writers of stream data.</summary>
internal static class StreamAccess
{
    /// <summary>The endpoint reads stream data: its answer waits for the commit of what it saw.</summary>
    public static RouteHandlerBuilder Reads(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(new StreamAccessFilter(writes: false))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status500InternalServerError);

    /// <summary>The endpoint changes stream data: refused while the store fails, answered once committed.</summary>
    public static RouteHandlerBuilder Writes(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(new StreamAccessFilter(writes: true))
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
