namespace Platform.Silo.Tests.Grains;

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Blocks the thread until the named event is set (at most 10 s); returns whether it was.</summary>
    Task<bool> BlockUntilSet(string name);

    Task Set(string name);

    /// <summary>Holds the turn (asynchronously) until the named gate opens.</summary>
    Task WaitForGate(string name);

    Task Record(int value);

    Task<int[]> GetRecorded();
}
