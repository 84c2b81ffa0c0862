using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Platform.Api.Http.Health;

/// <summary>
/// /health/live (the process answers) and /health/ready (and its store works: writes would
/// succeed), for orchestrators: 200 when healthy, 503 otherwise, with each check's status.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>The tag of the checks readiness runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps /health/live and /health/ready.</summary>
    public static void Map(IEndpointRouteBuilder routes)
    {
        var health = routes.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => TypedResults.Ok(new HealthResponse("Healthy", new Dictionary<string, HealthCheckResponse>())))
            .WithName("Live")
            .WithSummary("Liveness: the process answers HTTP");
        health.MapGet("/ready", ReadyAsync)
            .WithName("Ready")
            .WithSummary("Readiness: the store works (200), or not (503)")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<JsonHttpResult<HealthResponse>> ReadyAsync(HealthCheckService checks, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken).ConfigureAwait(false);
        var response = new HealthResponse(
            report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new HealthCheckResponse(e.Value.Status.ToString(), e.Value.Description)));
        return TypedResults.Json(
            response,
            statusCode: report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>A health report.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Checks">Each check's result, by name.</param>
internal sealed record HealthResponse(string Status, Dictionary<string, HealthCheckResponse> Checks);

/// <summary>One check's result.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Description">Why, when not healthy.</param>
internal sealed record HealthCheckResponse(string Status, string? Description);
