namespace Platform.Silo.Tests.Grains;

public sealed class TimerGrain : Grain, ITimerGrain
{
    private readonly TestProbe _probe;
    private IGrainTimer? _timer;
    private int _inside;
    private int _pings;

    public TimerGrain(TestProbe probe) => _probe = probe;

    public Task StartTimer(TimeSpan dueTime, TimeSpan period, string? gate)
    {
        _timer = RegisterGrainTimer(
            static async (state, cancellationToken) =>
            {
                var (grain, gate) = state;
                grain.Enter();
                try
                {
                    grain._probe.Ticks.Increment();
                    if (gate is not null)
                    {
                        await grain._probe.Gate(gate).Task;
                    }
                }
                finally
                {
                    grain.Exit();
                }
            },
            (this, gate),
            dueTime,
            period);
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task ChangeTimer(TimeSpan dueTime, TimeSpan period)
    {
        _timer!.Change(dueTime, period);
        return Task.CompletedTask;
    }

    public Task<int> Ping()
    {
        Enter();
        Exit();
        return Task.FromResult(++_pings);
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _probe.Overlaps);
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inside);
}
