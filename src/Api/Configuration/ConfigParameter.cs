using Platform.Api.Resp.Protocol;

namespace Platform.Api.Configuration;

/// <summary>
/// One parameter of CONFIG GET/SET, named as in Redis. Values are set from configuration at
/// start (command line, appsettings.json) and, unless immutable, by CONFIG SET at run time.
/// </summary>
internal abstract class ConfigParameter
{
    protected ConfigParameter(string name, bool immutable)
    {
        Name = name;
        IsImmutable = immutable;
    }

    /// <summary>The name, lower case, as Redis spells it.</summary>
    public string Name { get; }

    /// <summary>CONFIG SET refuses it ("can't set immutable config"); it is set only at start.</summary>
    public bool IsImmutable { get; }

    /// <summary>The value as CONFIG GET shows it.</summary>
    public abstract string Get();

    /// <summary>Validates and applies a value; on failure <paramref name="error"/> is Redis's reason text.</summary>
    public abstract bool TrySet(ReadOnlySpan<byte> value, out string? error);
}

/// <summary>A whole number (Redis's INTEGER_CONFIG) within bounds.</summary>
internal sealed class IntegerParameter(string name, bool immutable, long min, long max, Func<long> get, Action<long> set)
    : ConfigParameter(name, immutable)
{
    public override string Get() => get().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        if (!RedisNumbers.TryParseInt64(value, out var number))
        {
            error = "argument couldn't be parsed into an integer";
            return false;
        }

        return Bounded.TryApply(number, min, max, set, out error);
    }
}

/// <summary>A byte amount (Redis's MEMORY_CONFIG): "512mb", "1gb", "1048576".</summary>
internal sealed class MemoryParameter(string name, bool immutable, long min, long max, Func<long> get, Action<long> set)
    : ConfigParameter(name, immutable)
{
    public override string Get() => get().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        if (!RedisNumbers.TryParseMemory(value, out var bytes))
        {
            error = "argument must be a memory value";
            return false;
        }

        if (bytes > long.MaxValue)
        {
            error = $"argument must be between {min} and {max} inclusive";
            return false;
        }

        return Bounded.TryApply((long)bytes, min, max, set, out error);
    }
}

/// <summary>Free text (requirepass, dir, bind).</summary>
internal sealed class StringParameter(string name, bool immutable, Func<string> get, Action<string> set)
    : ConfigParameter(name, immutable)
{
    public override string Get() => get();

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        set(Encoding.UTF8.GetString(value));
        error = null;
        return true;
    }
}

/// <summary>One of a fixed set of words (Redis's enum configs), e.g. appendfsync.</summary>
internal sealed class EnumParameter(string name, bool immutable, string[] values, Func<string> get, Action<string> set)
    : ConfigParameter(name, immutable)
{
    public override string Get() => get();

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        foreach (var candidate in values)
        {
            if (Ascii.EqualsIgnoreCase(value, Encoding.ASCII.GetBytes(candidate)))
            {
                set(candidate);
                error = null;
                return true;
            }
        }

        error = $"argument(s) must be one of the following: {string.Join(", ", values)}";
        return false;
    }
}

/// <summary>client-output-buffer-limit.</summary>
internal sealed class OutputBufferLimitParameter(OutputBufferLimits limits) : ConfigParameter("client-output-buffer-limit", immutable: false)
{
    public override string Get() => limits.ToString();

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error) => limits.TrySet(value, out error);
}

/// <summary>notify-keyspace-events: Redis's class letters.</summary>
internal sealed class KeyspaceEventsParameter(Platform.Grains.Keyspace.KeyspaceEvents events) : ConfigParameter("notify-keyspace-events", immutable: false)
{
    public override string Get() => events.ToString();

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        if (events.TrySet(Encoding.Latin1.GetString(value)))
        {
            error = null;
            return true;
        }

        error = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        return false;
    }
}

/// <summary>
/// save: Redis's snapshot points. There are none: every change reaches the store through the
/// journal, when appendfsync says. Clients read it (redis-benchmark warns when it cannot), and
/// the empty value that turns snapshots off is accepted; points are refused, not ignored.
/// </summary>
internal sealed class SaveParameter() : ConfigParameter("save", immutable: false)
{
    public override string Get() => "";

    public override bool TrySet(ReadOnlySpan<byte> value, out string? error)
    {
        if (value.IsEmpty)
        {
            error = null;
            return true;
        }

        error = "save points are not supported: changes are stored as appendfsync says";
        return false;
    }
}

file static class Bounded
{
    public static bool TryApply(long value, long min, long max, Action<long> set, out string? error)
    {
        if (value < min || value > max)
        {
            error = $"argument must be between {min} and {max} inclusive";
            return false;
        }

        set(value);
        error = null;
        return true;
    }
}
