namespace Platform.Grains;

/// <summary>
/// Calls made for their effect only, not waited for: a grain telling another something (a key
/// created, an event to publish) must not wait for it, or two grains could each wait for the other.
/// </summary>
internal static class OneWay
{
    /// <summary>Lets the call run; a failure is observed rather than left unobserved.</summary>
    public static void Forget(ValueTask call)
    {
        if (!call.IsCompletedSuccessfully)
        {
            _ = call.AsTask().ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
