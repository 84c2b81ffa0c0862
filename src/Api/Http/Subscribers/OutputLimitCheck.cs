using Platform.Api.Configuration;

namespace Platform.Api.Http.Subscribers;

/// <summary>
/// client-output-buffer-limit's pubsub class applied to one HTTP subscriber, as Redis applies it
/// to a connection (and the RESP port to its sessions): past the hard limit, or past the soft limit
/// for longer than its seconds, the subscriber is disconnected. Called under its outbox's lock.
/// </summary>
internal sealed class OutputLimitCheck(OutputBufferLimits limits)
{
    private long _softLimitSince = -1;

    /// <summary>Whether <paramref name="pending"/> bytes waiting for the client are too many now.</summary>
    public bool IsExceeded(long pending)
    {
        var limit = limits.For(OutputBufferClass.PubSub);
        if (limit.HardBytes > 0 && pending >= limit.HardBytes)
        {
            return true;
        }

        if (limit.SoftBytes <= 0 || pending < limit.SoftBytes)
        {
            _softLimitSince = -1;
            return false;
        }

        var now = Environment.TickCount64;
        if (_softLimitSince < 0)
        {
            _softLimitSince = now;
            return false;
        }

        return (now - _softLimitSince) / 1000 > limit.SoftSeconds;
    }
}
