using Platform.Api.Resp.Protocol;

namespace Platform.Api.Configuration;

/// <summary>The client classes of client-output-buffer-limit.</summary>
internal enum OutputBufferClass
{
    /// <summary>Clients running commands.</summary>
    Normal,

    /// <summary>Replicas (we have none; kept so the setting reads as Redis's).</summary>
    Replica,

    /// <summary>Clients subscribed to channels or patterns.</summary>
    PubSub,
}

/// <summary>One class's limits: hard bytes, soft bytes, and how many seconds over soft are tolerated; 0 is no limit.</summary>
internal readonly record struct OutputBufferLimit(long HardBytes, long SoftBytes, long SoftSeconds);

/// <summary>
/// client-output-buffer-limit, parsed and shown as Redis does:
/// "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60".
/// </summary>
internal sealed class OutputBufferLimits
{
    private OutputBufferLimit[] _limits =
    [
        new(0, 0, 0),
        new(256L * 1024 * 1024, 64L * 1024 * 1024, 60),
        new(32L * 1024 * 1024, 8L * 1024 * 1024, 60),
    ];

    /// <summary>The limits of a class.</summary>
    public OutputBufferLimit For(OutputBufferClass kind) => Volatile.Read(ref _limits)[(int)kind];

    /// <summary>The value as CONFIG GET shows it.</summary>
    public override string ToString()
    {
        var limits = Volatile.Read(ref _limits);
        return $"normal {Format(limits[0])} slave {Format(limits[1])} pubsub {Format(limits[2])}";
    }

    /// <summary>Applies "class hard soft seconds [class hard soft seconds ...]"; on failure, Redis's reason.</summary>
    public bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        var words = System.Text.Encoding.UTF8.GetString(value).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0)
        {
            error = "Wrong number of arguments in buffer limit configuration.";
            return false;
        }

        var next = (OutputBufferLimit[])Volatile.Read(ref _limits).Clone();
        for (var i = 0; i < words.Length; i += 4)
        {
            OutputBufferClass? kind = words[i].ToLowerInvariant() switch
            {
                "normal" => OutputBufferClass.Normal,
                "slave" or "replica" => OutputBufferClass.Replica,
                "pubsub" => OutputBufferClass.PubSub,
                _ => null,
            };
            if (kind is null)
            {
                error = "Invalid client class specified in buffer limit configuration.";
                return false;
            }

            if (!RedisNumbers.TryParseMemory(System.Text.Encoding.UTF8.GetBytes(words[i + 1]), out var hard)
                || !RedisNumbers.TryParseMemory(System.Text.Encoding.UTF8.GetBytes(words[i + 2]), out var soft)
                || !RedisNumbers.TryParseInt64(System.Text.Encoding.UTF8.GetBytes(words[i + 3]), out var seconds)
                || seconds < 0 || hard > long.MaxValue || soft > long.MaxValue)
            {
                error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                return false;
            }

            next[(int)kind] = new OutputBufferLimit((long)hard, (long)soft, seconds);
        }

        Volatile.Write(ref _limits, next);
        error = null;
        return true;
    }

    private static string Format(OutputBufferLimit limit) => $"{limit.HardBytes} {limit.SoftBytes} {limit.SoftSeconds}";
}
