namespace Platform.Silo.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one. <paramref name="pause"/>: 0 completes synchronously, 1 yields, 2 awaits a 1 ms delay.</summary>
    Task<int> Increment(int pause);

    ValueTask<int> GetValue();

    ValueTask<int> GetThreadId();

    Task<int> GetOverlaps();
}
