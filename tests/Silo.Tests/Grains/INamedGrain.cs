namespace Platform.Silo.Tests.Grains;

public interface INamedGrain : IGrainWithStringKey
{
    Task<string> GetName();
}
