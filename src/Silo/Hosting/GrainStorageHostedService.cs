using Microsoft.Extensions.Hosting;
using Platform.Silo.Storage;

namespace Platform.Silo.Hosting;

/// <summary>
/// Opens the store and starts the journal's writer before the silo starts (a host may have started
/// it earlier, to stop on a store it cannot use); at stop, after every grain is deactivated,
/// commits what is pending.
/// </summary>
internal sealed class GrainStorageHostedService(GrainJournal journal) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => journal.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) =>
        journal.Error is null ? journal.FlushAsync().WaitAsync(cancellationToken) : Task.CompletedTask;
}
