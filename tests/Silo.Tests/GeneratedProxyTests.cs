using Platform.Silo.Tests.Grains;

namespace Platform.Silo.Tests;

public sealed class GeneratedProxyTests
{
    [Fact]
    public async Task A_proxy_implements_inherited_interface_methods()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var calculator = silo.GrainFactory.GetGrain<ICalculatorGrain>("calc");

        Assert.Equal(5, await calculator.Add(2, 3));
        Assert.Equal("calculator:calc", await ((INamedGrain)calculator).GetName());
        Assert.Equal("calculator:calc", await ((ILabelledGrain)calculator).GetName());
        Assert.Equal("label", await calculator.GetLabel());
        Assert.Equal((16, "text"), await calculator.Combine(10, "text", CancellationToken.None, 1, 2, 3));
        Assert.Equal(14, await calculator.InvokeAsync(7));
        await calculator.Reset();
        Assert.Equal(0, await calculator.GetTotal());

        // A base interface reaches the same grain class (the only one implementing it), and the same activation.
        var named = silo.GrainFactory.GetGrain<INamedGrain>("calc");
        Assert.Equal("calculator:calc", await named.GetName());
        Assert.Equal(1, silo.ActivationCount);
    }

    [Fact]
    public async Task GetGrain_activates_nothing()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);

        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("lazy");

        Assert.Equal(0, silo.ActivationCount);
        Assert.Equal(0, probe.Activations.Count);
        await grain.GetInstanceId();
        Assert.Equal(1, probe.Activations.Count);
    }

    [Fact]
    public async Task A_missing_constructor_service_is_a_clear_error()
    {
        await using var silo = await Testing.TestSilo.StartAsync(b => b.AddGrains(typeof(CounterGrain).Assembly));
        var grain = silo.GrainFactory.GetGrain<ILifecycleGrain>("no-probe");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.GetInstanceId().AsTask());

        Assert.Contains(nameof(LifecycleGrain), error.Message);
        Assert.Contains(nameof(TestProbe), error.Message);
    }

    [Fact]
    public async Task Unregistered_interfaces_are_a_clear_error()
    {
        await using var silo = await Testing.TestSilo.StartAsync(_ => { });

        var error = Assert.Throws<InvalidOperationException>(() => silo.GrainFactory.GetGrain<ICounterGrain>("none"));
        Assert.Contains(nameof(ICounterGrain), error.Message);
        Assert.Contains("AddGrains", error.Message);
    }
}
