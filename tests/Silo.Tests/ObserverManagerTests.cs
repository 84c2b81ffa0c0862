using Platform.Silo.Tests.Grains;

namespace Platform.Silo.Tests;

public sealed class ObserverManagerTests
{
    [Fact]
    public void An_observer_that_throws_is_removed_as_defunct()
    {
        var defunct = new List<(IMessageObserver, Exception)>();
        var manager = new ObserverManager<IMessageObserver>((observer, error) => defunct.Add((observer, error)));
        var healthy = new RecordingObserver();
        var failing = new RecordingObserver(throws: true);
        manager.Subscribe(healthy);
        manager.Subscribe(failing);
        manager.Subscribe(healthy);

        Assert.Equal(2, manager.Count);
        manager.Notify(o => o.OnMessage(1));
        manager.Notify(static (o, value) => o.OnMessage(value), 2);

        Assert.Single(manager);
        Assert.True(manager.Contains(healthy));
        Assert.False(manager.Contains(failing));
        Assert.Equal([1, 2], healthy.Received);
        Assert.Equal([1], failing.Received);
        var (removed, error) = Assert.Single(defunct);
        Assert.Same(failing, removed);
        Assert.Equal("observer failed", error.Message);
    }

    [Fact]
    public void Unsubscribe_and_clear_remove_observers()
    {
        var manager = new ObserverManager<IMessageObserver>();
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        manager.Subscribe(first);
        manager.Subscribe(second);

        Assert.True(manager.Unsubscribe(first));
        Assert.False(manager.Unsubscribe(first));
        Assert.Equal([second], manager);

        manager.Clear();
        Assert.Empty(manager);
    }

    [Fact]
    public void Notify_with_state_allocates_nothing_per_observer()
    {
        var manager = new ObserverManager<CountingObserver>();
        var observers = Enumerable.Range(0, 100).Select(_ => new CountingObserver()).ToList();
        observers.ForEach(manager.Subscribe);
        manager.Notify(AddValue, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            manager.Notify(AddValue, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(observers, o => Assert.Equal(101, o.Total));
    }

    // One delegate for warm-up and measurement: a lambda's cached delegate is allocated on its first use.
    private static readonly Action<CountingObserver, int> AddValue = static (o, value) => o.Add(value);

    private sealed class CountingObserver
    {
        public int Total { get; private set; }

        public void Add(int value) => Total += value;
    }
}
