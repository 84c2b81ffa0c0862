using Platform.Silo.Hosting;
using Platform.Silo.Tests.Grains;
using Platform.TestSupport;

namespace Platform.Silo.Tests;

public sealed class LifecycleTests
{
    private static readonly TimeSpan Age = new GrainCollectionOptions().CollectionAge;
    private static readonly TimeSpan Quantum = new GrainCollectionOptions().CollectionQuantum;

    [Fact]
    public async Task An_idle_activation_is_collected_after_the_collection_age()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("idle");
        var first = await grain.GetInstanceId();

        // Not before the age: a collected activation would have handed the call to a new instance.
        time.Advance(Age - Quantum);
        Assert.Equal(first, await grain.GetInstanceId());
        Assert.Equal(0, probe.DeactivationsStarted.Count);

        time.Advance(Age + Quantum + Quantum);
        await probe.Deactivations.WaitForAsync(1);
        Assert.Equal(DeactivationReasonCode.ActivationIdle, Assert.Single(probe.DeactivationReasons).ReasonCode);
        Assert.True(SpinWait.SpinUntil(() => !silo.IsActive<ILifecycleGrain>("idle"), TimeSpan.FromSeconds(10)));
        Assert.Equal(0, silo.ActivationCount);

        // The next call activates a fresh instance.
        Assert.NotEqual(first, await grain.GetInstanceId());
        Assert.Equal(2, probe.Activations.Count);
    }

    [Fact]
    public async Task Collection_age_and_quantum_are_options()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time, b => b.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromSeconds(10);
            o.CollectionQuantum = TimeSpan.FromSeconds(1);
        }));
        await silo.GrainFactory.GetGrain<ILifecycleGrain>("short").GetInstanceId();

        time.Advance(TimeSpan.FromSeconds(13));
        await probe.Deactivations.WaitForAsync(1);
    }

    [Fact]
    public async Task DelayDeactivation_keeps_an_idle_activation_alive()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("kept");
        var first = await grain.GetInstanceId();
        await grain.KeepAlive(TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(first, await grain.GetInstanceId());

        time.Advance(TimeSpan.FromMinutes(35));
        await probe.Deactivations.WaitForAsync(1);
        Assert.NotEqual(first, await grain.GetInstanceId());
    }

    [Fact]
    public async Task DeactivateOnIdle_deactivates_after_the_turn()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("requested");
        var first = await grain.GetInstanceId();

        await grain.Deactivate();
        await probe.Deactivations.WaitForAsync(1);

        Assert.Equal(DeactivationReasonCode.ApplicationRequested, Assert.Single(probe.DeactivationReasons).ReasonCode);
        Assert.NotEqual(first, await grain.GetInstanceId());
    }

    [Fact]
    public async Task Calls_that_arrive_during_deactivation_reach_a_fresh_activation()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("rerouted");
        var first = await grain.GetInstanceId();
        await grain.HoldDeactivation("deactivating");
        await grain.Deactivate();
        await probe.DeactivationsStarted.WaitForAsync(1);

        var calls = Enumerable.Range(0, 10).Select(_ => grain.GetInstanceId().AsTask()).ToList();
        Assert.All(calls, call => Assert.False(call.IsCompleted));
        probe.Gate("deactivating").SetResult();

        var ids = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(ids, id => Assert.NotEqual(first, id));
        Assert.Single(ids.Distinct());
        Assert.Equal(2, probe.Activations.Count);
    }

    [Fact]
    public async Task Stopping_the_silo_deactivates_every_activation()
    {
        var probe = new TestProbe();
        var silo = await Silos.StartAsync(probe);
        await using (silo)
        {
            await silo.GrainFactory.GetGrain<ILifecycleGrain>("one").GetInstanceId();
            await silo.GrainFactory.GetGrain<ILifecycleGrain>("two").GetInstanceId();

            await silo.StopAsync();
        }

        Assert.Equal(2, probe.Deactivations.Count);
        Assert.All(probe.DeactivationReasons, r => Assert.Equal(DeactivationReasonCode.ShuttingDown, r.ReasonCode));
        Assert.Equal(0, silo.ActivationCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => silo.GrainFactory.GetGrain<ILifecycleGrain>("three").GetInstanceId().AsTask());
    }
}
