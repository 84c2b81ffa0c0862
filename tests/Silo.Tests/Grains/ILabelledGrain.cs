namespace Platform.Silo.Tests.Grains;

public interface ILabelledGrain : IGrainWithStringKey
{
    // Same signature as INamedGrain.GetName: the proxy implements both explicitly, each with its own invokable.
    Task<string> GetName();

    Task<string> GetLabel();
}
