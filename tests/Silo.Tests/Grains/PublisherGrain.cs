namespace Platform.Silo.Tests.Grains;

public sealed class PublisherGrain : Grain, IPublisherGrain
{
    private readonly ObserverManager<IMessageObserver> _observers = new();

    public Task Subscribe(IMessageObserver observer)
    {
        _observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IMessageObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<int> Publish(int value)
    {
        _observers.Notify(static (observer, value) => observer.OnMessage(value), value);
        return Task.FromResult(_observers.Count);
    }
}
