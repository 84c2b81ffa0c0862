using Microsoft.Extensions.Diagnostics.HealthChecks;
using Platform.Api.Server;

namespace Platform.Api.Http.Health;

/// <summary>Ready while the store works: while it fails, writes are refused (MISCONF), so traffic should go elsewhere.</summary>
internal sealed class StorageHealthCheck(Persistence persistence) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(persistence.Error is { } error
            ? HealthCheckResult.Unhealthy($"MISCONF Errors writing to the AOF file: {error}")
            : HealthCheckResult.Healthy());
}
