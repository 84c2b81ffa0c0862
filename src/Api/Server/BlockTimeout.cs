namespace Platform.Api.Server;

/// <summary>A blocking read's timeout (XREAD/XREADGROUP BLOCK, the HTTP long poll) as a delay.</summary>
internal static class BlockTimeout
{
    // The longest delay a timer takes (about 49.7 days).
    private const long LongestDelayMs = uint.MaxValue - 1;

    /// <summary>
    /// 0 waits forever, as in Redis; so does anything past the longest delay a timer can take,
    /// which Redis accepts and no client tells apart from forever.
    /// </summary>
    public static TimeSpan FromMilliseconds(long milliseconds) =>
        milliseconds is > 0 and <= LongestDelayMs ? TimeSpan.FromMilliseconds(milliseconds) : Timeout.InfiniteTimeSpan;
}
