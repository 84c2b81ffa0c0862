using Platform.Client.Protocol;

namespace Platform.Client;

public sealed partial class PlatformClient
{
    /// <summary>PUBLISH: sends <paramref name="message"/> to <paramref name="channel"/>; returns how many subscribers received it.</summary>
    public ValueTask<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("PUBLISH").Add(channel).Add(message.Span), Parsers.Int64, cancellationToken);
    }

    /// <summary>PUBLISH a text message (UTF-8); returns how many subscribers received it.</summary>
    public ValueTask<long> PublishAsync(string channel, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfDisposed();
        return Execute(CommandBuilder.Rent("PUBLISH").Add(channel).Add(message), Parsers.Int64, cancellationToken);
    }

    /// <summary>
    /// SUBSCRIBE: returns once the server has confirmed the subscription. Enumerate the result to
    /// receive messages; ending the enumeration (or disposing it) leaves the subscription.
    /// </summary>
    public Task<ChannelSubscription> SubscribeAsync(string channel, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _subscriptions.SubscribeAsync(channel, isPattern: false, cancellationToken);
    }

    /// <summary>PSUBSCRIBE: like <see cref="SubscribeAsync"/> for a glob-style pattern ("orders.*"); messages carry the pattern and the channel.</summary>
    public Task<ChannelSubscription> SubscribePatternAsync(string pattern, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _subscriptions.SubscribeAsync(pattern, isPattern: true, cancellationToken);
    }
}
