using Platform.Silo.Tests.Grains;
using Platform.TestSupport;

namespace Platform.Silo.Tests;

public sealed class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_timer_ticks_as_a_turn_on_the_fake_clock()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("ticking");
        await grain.StartTimer(Second, Second, gate: null);

        for (var tick = 1; tick <= 5; tick++)
        {
            Assert.Equal(tick - 1, probe.Ticks.Count);
            time.Advance(Second);
            await probe.Ticks.WaitForAsync(tick);

            // A call queues behind the tick's turn: once it returns, the tick has completed and the timer is rearmed.
            await grain.Ping();
        }

        Assert.Equal(0, probe.Overlaps);
    }

    [Fact]
    public async Task A_call_waits_for_a_running_tick()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("held");
        await grain.StartTimer(Second, Timeout.InfiniteTimeSpan, gate: "tick");

        time.Advance(Second);
        await probe.Ticks.WaitForAsync(1);
        var ping = grain.Ping();
        Assert.False(ping.IsCompleted);

        probe.Gate("tick").SetResult();
        Assert.Equal(1, await ping.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, probe.Overlaps);

        // One-shot: no second tick.
        time.Advance(TimeSpan.FromMinutes(1));
        await grain.Ping();
        Assert.Equal(1, probe.Ticks.Count);
    }

    [Fact]
    public async Task A_disposed_timer_stops()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("disposed");
        await grain.StartTimer(Second, Second, gate: null);
        time.Advance(Second);
        await probe.Ticks.WaitForAsync(1);
        await grain.Ping();

        await grain.StopTimer();
        time.Advance(TimeSpan.FromSeconds(10));
        await grain.Ping();

        Assert.Equal(1, probe.Ticks.Count);
    }

    [Fact]
    public async Task A_changed_timer_uses_the_new_times()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("changed");
        await grain.StartTimer(TimeSpan.FromHours(1), TimeSpan.FromHours(1), gate: null);
        await grain.ChangeTimer(Second, TimeSpan.FromSeconds(2));

        time.Advance(Second);
        await probe.Ticks.WaitForAsync(1);
        await grain.Ping();
        time.Advance(Second);
        await grain.Ping();
        Assert.Equal(1, probe.Ticks.Count);
        time.Advance(Second);
        await probe.Ticks.WaitForAsync(2);
    }

    [Fact]
    public async Task Timers_die_with_their_activation()
    {
        var probe = new TestProbe();
        var time = new FakeTimeProvider();
        await using var silo = await Silos.StartAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain<ITimerGrain>("mortal");
        var timersBefore = time.ScheduledTimerCount;
        await grain.StartTimer(Second, Second, gate: null);
        Assert.Equal(timersBefore + 1, time.ScheduledTimerCount);

        await grain.Deactivate();
        Assert.True(SpinWait.SpinUntil(() => silo.ActivationCount == 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(timersBefore, time.ScheduledTimerCount);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, probe.Ticks.Count);
        Assert.Equal(0, silo.ActivationCount);
    }
}
