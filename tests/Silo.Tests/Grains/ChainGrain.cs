namespace Platform.Silo.Tests.Grains;

public sealed class ChainGrain : Grain, IChainGrain
{
    public async Task<string> Chain(string[] keys, int index)
    {
        if (index == keys.Length - 1)
        {
            await Task.Yield();
            return GetPrimaryKeyString();
        }

        var rest = await GrainFactory.GetGrain<IChainGrain>(keys[index + 1]).Chain(keys, index + 1);
        return GetPrimaryKeyString() + ">" + rest;
    }
}
