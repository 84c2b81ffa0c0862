using System.Buffers;
using Microsoft.Extensions.Logging;
using Platform.Client.Connections;
using Platform.Client.Protocol;

namespace Platform.Client.PubSub;

/// <summary>
/// The client's subscriptions and their connection. Subscriptions of this client to the same channel
/// share one server subscription; the last one leaving unsubscribes. Every (re)connect subscribes
/// to everything in the registry before the connection is used, so subscriptions survive a
/// reconnect. Received messages are matched to the registry by the channel's bytes (decoded on the
/// stack), so a message costs one copy of its payload and nothing else.
/// </summary>
internal sealed class SubscriptionManager : IPushHandler, IAsyncDisposable
{
    private const int MaxCachedChannelNames = 4096;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SubscriptionSet> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubscriptionSet> _patterns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubscriptionSet>.AlternateLookup<ReadOnlySpan<char>> _channelLookup;
    private readonly Dictionary<string, SubscriptionSet>.AlternateLookup<ReadOnlySpan<char>> _patternLookup;
    private readonly Dictionary<string, string> _channelNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _channelNameLookup;
    private readonly PlatformClientOptions _options;
    private readonly ManagedConnection _connection;
    private bool _started;

    public SubscriptionManager(PlatformClientOptions options, ServerEndPoint endPoint, ILogger logger)
    {
        _options = options;
        _channelLookup = _channels.GetAlternateLookup<ReadOnlySpan<char>>();
        _patternLookup = _patterns.GetAlternateLookup<ReadOnlySpan<char>>();
        _channelNameLookup = _channelNames.GetAlternateLookup<ReadOnlySpan<char>>();
        _connection = new ManagedConnection(options, endPoint, "subscription", logger, this, ResubscribeAsync);
    }

    /// <summary>The subscription connection (for tests and diagnostics).</summary>
    public ManagedConnection Connection => _connection;

    /// <summary>Subscribes and waits for the server's confirmation.</summary>
    public async Task<ChannelSubscription> SubscribeAsync(string name, bool isPattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureStarted();
        var subscription = new ChannelSubscription(this, name, isPattern);
        Task<long>? confirmation = null;
        SubscriptionSet set;
        lock (_lock)
        {
            var map = isPattern ? _patterns : _channels;
            if (!map.TryGetValue(name, out set!))
            {
                set = new SubscriptionSet(name);
                map[name] = set;
            }

            set.Subscribers = [.. set.Subscribers, subscription];
            if (set.SubscribedOn is null || !set.SubscribedOn.IsOpen)
            {
                confirmation = TrySubscribe(set, isPattern, _connection.Current);
            }
            else
            {
                confirmation = set.Confirmation;
            }
        }

        try
        {
            while (true)
            {
                if (confirmation is not null)
                {
                    try
                    {
                        await confirmation.WaitAsync(cancellationToken).ConfigureAwait(false);
                        return subscription;
                    }
                    catch (PlatformConnectionException)
                    {
                        // The connection dropped before the confirmation: the reconnect resubscribes; wait for it below.
                    }
                }

                var connection = await _connection.WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    confirmation = ReferenceEquals(set.SubscribedOn, connection)
                        ? set.Confirmation ?? Task.FromResult(0L)
                        : TrySubscribe(set, isPattern, connection);
                }
            }
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes a subscription; unsubscribes on the server when it was the last of its channel.</summary>
    public async ValueTask UnsubscribeAsync(ChannelSubscription subscription)
    {
        Task<long>? confirmation = null;
        lock (_lock)
        {
            var map = subscription.IsPattern ? _patterns : _channels;
            if (!map.TryGetValue(subscription.Name, out var set))
            {
                return;
            }

            set.Subscribers = Array.FindAll(set.Subscribers, s => !ReferenceEquals(s, subscription));
            if (set.Subscribers.Length > 0)
            {
                return;
            }

            map.Remove(subscription.Name);
            var connection = _connection.Current;
            if (connection is not null && ReferenceEquals(set.SubscribedOn, connection))
            {
                var operation = new Operation<long>(subscription.IsPattern ? "PUNSUBSCRIBE" : "UNSUBSCRIBE", Parsers.SubscriptionCount, _connection.Deadline());
                var command = CommandBuilder.Rent(operation.Command).Add(subscription.Name);
                if (connection.TryWrite(command, operation))
                {
                    confirmation = operation.Task.AsTask();
                }

                command.Return();
            }
        }

        if (confirmation is not null)
        {
            try
            {
                await confirmation.ConfigureAwait(false);
            }
            catch (PlatformClientException)
            {
                // The connection went away: the subscription went with it.
            }
        }
    }

    /// <summary>Delivers published messages (RESP3 push or RESP2 array "message"/"pmessage"/"smessage").</summary>
    public bool TryHandle(ref RespReader reader)
    {
        if (reader.PeekType() is not ((byte)'>' or (byte)'*'))
        {
            return false;
        }

        var probe = reader;
        var length = probe.ReadArrayLength();
        if (length == 3 && (probe.PeekStringEquals("message"u8) || probe.PeekStringEquals("smessage"u8)))
        {
            probe.Skip();
            var channel = probe.ReadBlob(out _);
            var payload = probe.ReadBlob(out _);
            Deliver(default, channel, payload, isPattern: false);
            reader = probe;
            return true;
        }

        if (length == 4 && probe.PeekStringEquals("pmessage"u8))
        {
            probe.Skip();
            var pattern = probe.ReadBlob(out _);
            var channel = probe.ReadBlob(out _);
            var payload = probe.ReadBlob(out _);
            Deliver(pattern, channel, payload, isPattern: true);
            reader = probe;
            return true;
        }

        return false;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void EnsureStarted()
    {
        lock (_lock)
        {
            if (!_started)
            {
                _started = true;
                _connection.Start();
            }
        }
    }

    // Under _lock. Writes (P)SUBSCRIBE on the connection if it is up; null if it is not (the
    // reconnect will subscribe everything in the registry).
    private Task<long>? TrySubscribe(SubscriptionSet set, bool isPattern, RespConnection? connection)
    {
        if (connection is null)
        {
            return null;
        }

        var operation = new Operation<long>(isPattern ? "PSUBSCRIBE" : "SUBSCRIBE", Parsers.SubscriptionCount, _connection.Deadline());
        var command = CommandBuilder.Rent(operation.Command).Add(set.Name);
        var written = connection.TryWrite(command, operation);
        command.Return();
        if (!written)
        {
            return null;
        }

        set.SubscribedOn = connection;
        set.Confirmation = operation.Task.AsTask();
        return set.Confirmation;
    }

    private async Task ResubscribeAsync(RespConnection connection, CancellationToken cancellationToken)
    {
        var confirmations = new List<Task<long>>();
        lock (_lock)
        {
            foreach (var (sets, isPattern) in new[] { (_channels, false), (_patterns, true) })
            {
                foreach (var set in sets.Values)
                {
                    if (TrySubscribe(set, isPattern, connection) is { } confirmation)
                    {
                        confirmations.Add(confirmation);
                    }
                }
            }
        }

        await Task.WhenAll(confirmations).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Deliver(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> payload, bool isPattern)
    {
        char[]? rented = null;
        var key = isPattern ? pattern : channel;
        var maxChars = Math.Max(Encoding.UTF8.GetMaxCharCount(key.Length), Encoding.UTF8.GetMaxCharCount(channel.Length));
        Span<char> chars = maxChars <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(maxChars));
        try
        {
            ChannelSubscription[] subscribers;
            string channelName;
            string? patternName = null;
            lock (_lock)
            {
                var keyLength = Encoding.UTF8.GetChars(key, chars);
                var found = isPattern
                    ? _patternLookup.TryGetValue(chars[..keyLength], out var set)
                    : _channelLookup.TryGetValue(chars[..keyLength], out set);
                if (!found)
                {
                    // Left already: a message that was on its way.
                    return;
                }

                subscribers = set!.Subscribers;
                if (isPattern)
                {
                    patternName = set.Name;
                    channelName = ChannelName(chars[..Encoding.UTF8.GetChars(channel, chars)]);
                }
                else
                {
                    channelName = set.Name;
                }
            }

            if (subscribers.Length == 0)
            {
                return;
            }

            // One copy of the payload, shared by this client's subscribers of the channel.
            var message = new ChannelMessage(channelName, patternName, payload.ToArray());
            foreach (var subscriber in subscribers)
            {
                subscriber.Deliver(message);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // Under _lock: channel names seen through patterns, kept so a message costs no string.
    private string ChannelName(ReadOnlySpan<char> name)
    {
        if (_channelNameLookup.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var text = name.ToString();
        if (_channelNames.Count >= MaxCachedChannelNames)
        {
            _channelNames.Clear();
        }

        _channelNames[text] = text;
        return text;
    }

    private sealed class SubscriptionSet(string name)
    {
        public string Name { get; } = name;

        public ChannelSubscription[] Subscribers { get; set; } = [];

        public RespConnection? SubscribedOn { get; set; }

        public Task<long>? Confirmation { get; set; }
    }
}
