using Platform.Silo.Tests.Grains;

namespace Platform.Silo.Tests;

public sealed class ExceptionTests
{
    [Fact]
    public async Task Exceptions_reach_the_caller_and_the_grain_keeps_working()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<IThrowingGrain>("thrower");

        var sync = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowSync("sync boom"));
        Assert.Equal("sync boom", sync.Message);
        var async = await Assert.ThrowsAsync<ArgumentException>(() => grain.ThrowAsync("async boom").AsTask());
        Assert.Equal("async boom", async.Message);

        Assert.Equal(1, await grain.Ok());
    }

    [Fact]
    public async Task Exceptions_of_queued_calls_reach_their_callers()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<IThrowingGrain>("queued");

        var hold = grain.Hold("release");
        var sync = grain.ThrowSync("queued sync");
        var async = grain.ThrowAsync("queued async");
        var ok = grain.Ok();
        Assert.False(sync.IsCompleted);
        probe.Gate("release").SetResult();

        Assert.Equal("queued sync", (await Assert.ThrowsAsync<InvalidOperationException>(() => sync)).Message);
        Assert.Equal("queued async", (await Assert.ThrowsAsync<ArgumentException>(() => async.AsTask())).Message);
        Assert.Equal(1, await ok);
        await hold;
    }

    [Theory]
    [InlineData("constructor", "constructor failed")]
    [InlineData("activate", "activation failed")]
    public async Task A_failed_activation_fails_the_call_and_the_next_call_retries(string point, string message)
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<IFailingActivationGrain>("flaky");
        probe.FailNext(point);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(grain.GetInstanceId);
        Assert.Equal(message, failure.Message);
        Assert.Equal(0, silo.ActivationCount);

        Assert.Equal(1, await grain.GetInstanceId());
    }

    [Fact]
    public async Task An_asynchronously_failed_activation_fails_every_waiting_call()
    {
        var probe = new TestProbe();
        await using var silo = await Silos.StartAsync(probe);
        var grain = silo.GrainFactory.GetGrain<IFailingActivationGrain>("slow-flaky");
        probe.FailNext("activate-after-gate");

        var waiting = Enumerable.Range(0, 5).Select(_ => grain.GetInstanceId()).ToList();
        Assert.All(waiting, call => Assert.False(call.IsCompleted));
        probe.Gate("activation").SetResult();

        foreach (var call in waiting)
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => call);
            Assert.Equal("activation failed later", failure.Message);
        }

        Assert.Equal(1, await grain.GetInstanceId());
    }
}
