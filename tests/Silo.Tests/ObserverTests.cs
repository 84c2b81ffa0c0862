using Platform.Silo.Tests.Grains;

namespace Platform.Silo.Tests;

public sealed class ObserverTests
{
    [Fact]
    public async Task Notifications_do_not_block_the_grain_and_arrive_in_order_until_deleted()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var publisher = silo.GrainFactory.GetGrain<IPublisherGrain>("news");
        using var gate = new ManualResetEventSlim();
        var observer = new RecordingObserver(gate);
        var reference = silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer);
        await publisher.Subscribe(reference);

        // The observer's handler is blocked: every publish (a grain turn) completes anyway.
        for (var i = 1; i <= 50; i++)
        {
            Assert.Equal(1, await publisher.Publish(i).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.True(observer.Received.IsEmpty);
        gate.Set();
        await observer.Count.WaitForAsync(50);
        Assert.Equal(Enumerable.Range(1, 50), observer.Received);

        // Deleted: nothing more is delivered, and the grain's ObserverManager drops the reference as defunct.
        silo.GrainFactory.DeleteObjectReference(reference);
        Assert.Equal(0, await publisher.Publish(51));
        Assert.Equal(50, observer.Received.Count);
    }

    [Fact]
    public async Task A_throwing_observer_does_not_break_the_grain_or_other_observers()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var publisher = silo.GrainFactory.GetGrain<IPublisherGrain>("mixed");
        var failing = new RecordingObserver(throws: true);
        var healthy = new RecordingObserver();
        await publisher.Subscribe(silo.GrainFactory.CreateObjectReference<IMessageObserver>(failing));
        await publisher.Subscribe(silo.GrainFactory.CreateObjectReference<IMessageObserver>(healthy));

        Assert.Equal(2, await publisher.Publish(1));
        Assert.Equal(2, await publisher.Publish(2));

        await healthy.Count.WaitForAsync(2);
        await failing.Count.WaitForAsync(2);
        Assert.Equal([1, 2], healthy.Received);

        // The failing observer's mailbox logged and skipped each failure and kept delivering.
        Assert.Equal([1, 2], failing.Received);
    }

    [Fact]
    public async Task Unsubscribe_stops_notifications()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var publisher = silo.GrainFactory.GetGrain<IPublisherGrain>("unsubscribe");
        var observer = new RecordingObserver();
        var reference = silo.GrainFactory.CreateObjectReference<IMessageObserver>(observer);
        await publisher.Subscribe(reference);
        await publisher.Publish(1);
        await publisher.Unsubscribe(reference);

        Assert.Equal(0, await publisher.Publish(2));
        await observer.Count.WaitForAsync(1);
        Assert.Equal([1], observer.Received);
    }
}
