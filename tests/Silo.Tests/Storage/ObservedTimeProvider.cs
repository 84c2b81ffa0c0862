using Platform.TestSupport;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers made from it: the journal's writer makes
/// one for each wait (Task.Delay), so a test knows when the writer is waiting for the clock.
/// </summary>
internal sealed class ObservedTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _clock = new();

    /// <summary>Timers made so far.</summary>
    public EventCounter TimersCreated { get; } = new();

    public override TimeZoneInfo LocalTimeZone => _clock.LocalTimeZone;

    public override long TimestampFrequency => _clock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

    public override long GetTimestamp() => _clock.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _clock.CreateTimer(callback, state, dueTime, period);
        TimersCreated.Increment();
        return timer;
    }

    /// <summary>Moves the clock, firing the timers that fall due.</summary>
    public void Advance(TimeSpan delta) => _clock.Advance(delta);
}
