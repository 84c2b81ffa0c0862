using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>The storage contract on the memory provider (a batch cannot fail there: see <see cref="RelationalGrainStorageContract"/>).</summary>
public sealed class MemoryGrainStorageTests : GrainStorageContract
{
    protected override async Task<IGrainStorage> OpenAsync()
    {
        var storage = new MemoryGrainStorage();
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }
}
