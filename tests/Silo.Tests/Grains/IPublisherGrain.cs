namespace Platform.Silo.Tests.Grains;

public interface IPublisherGrain : IGrainWithStringKey
{
    Task Subscribe(IMessageObserver observer);

    Task Unsubscribe(IMessageObserver observer);

    /// <summary>Notifies every subscriber; returns the subscriber count afterwards.</summary>
    Task<int> Publish(int value);
}
