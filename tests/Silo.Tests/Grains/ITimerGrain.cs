namespace Platform.Silo.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    /// <summary>Registers a timer; each tick counts in the probe and, if <paramref name="gate"/> is set, awaits that gate.</summary>
    Task StartTimer(TimeSpan dueTime, TimeSpan period, string? gate);

    Task StopTimer();

    Task ChangeTimer(TimeSpan dueTime, TimeSpan period);

    Task<int> Ping();

    Task Deactivate();
}
