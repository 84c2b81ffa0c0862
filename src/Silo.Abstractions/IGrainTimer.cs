namespace Platform.Silo;

/// <summary>
/// A timer registered by a grain. Its callback runs as a turn of the activation, never concurrently with a call, and
/// the next period starts when the callback's task completes. Disposing it, or deactivating the grain, stops it.
/// </summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Reschedules the timer.</summary>
    /// <param name="dueTime">Time until the next tick.</param>
    /// <param name="period">
    /// Time between ticks, measured from the end of one callback to the start of the next;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer.
    /// </param>
    void Change(TimeSpan dueTime, TimeSpan period);
}
