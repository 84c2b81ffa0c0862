namespace Platform.Client.Protocol;

/// <summary>Reply parsers shared by many commands.</summary>
internal static class Parsers
{
    /// <summary>"+OK" (or any simple string).</summary>
    public static bool Ok(ref RespReader reader)
    {
        reader.Skip();
        return true;
    }

    /// <summary>Any reply; its content is not needed.</summary>
    public static bool Ignore(ref RespReader reader)
    {
        reader.Skip();
        return true;
    }

    /// <summary>An integer reply.</summary>
    public static long Int64(ref RespReader reader) => reader.ReadInt64();

    /// <summary>An integer reply read as a boolean (0 = false).</summary>
    public static bool Boolean(ref RespReader reader) => reader.ReadBoolean();

    /// <summary>A string reply, null for a null.</summary>
    public static string? String(ref RespReader reader) => reader.ReadString();

    /// <summary>A string reply as bytes, null for a null.</summary>
    public static byte[]? Bytes(ref RespReader reader) => reader.ReadBytes();

    /// <summary>Any reply, materialized.</summary>
    public static RespValue Value(ref RespReader reader) => reader.ReadValue();

    /// <summary>A subscription confirmation: kind, name, count; returns the count.</summary>
    public static long SubscriptionCount(ref RespReader reader)
    {
        var length = reader.ReadArrayLength();
        for (var i = 0; i < length - 1; i++)
        {
            reader.Skip();
        }

        return length > 0 ? reader.ReadInt64() : 0;
    }
}
