namespace Platform.Silo.Tests.Grains;

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<int> GetInstanceId();
}
