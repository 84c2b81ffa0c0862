namespace Platform.Silo.Tests.Grains;

public interface IChainGrain : IGrainWithStringKey
{
    /// <summary>Calls the next key's grain from inside this turn and returns the path, e.g. "a>b>c".</summary>
    Task<string> Chain(string[] keys, int index);
}
