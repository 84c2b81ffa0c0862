using Microsoft.Extensions.Hosting;
using Platform.Silo.Runtime;

namespace Platform.Silo.Hosting;

/// <summary>Starts activation collection with the host, and deactivates every activation when the host stops.</summary>
internal sealed class SiloHostedService : IHostedService
{
    private readonly GrainRuntime _runtime;

    public SiloHostedService(GrainRuntime runtime) => _runtime = runtime;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _runtime.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _runtime.StopAsync(cancellationToken);
}
