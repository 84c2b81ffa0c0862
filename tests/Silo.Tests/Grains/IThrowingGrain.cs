namespace Platform.Silo.Tests.Grains;

public interface IThrowingGrain : IGrainWithStringKey
{
    Task ThrowSync(string message);

    ValueTask<int> ThrowAsync(string message);

    Task<int> Ok();

    /// <summary>Holds the turn until the named gate opens.</summary>
    Task Hold(string gate);
}
