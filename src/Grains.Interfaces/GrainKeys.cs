namespace Platform.Grains;

/// <summary>
/// Redis names (keys, channels, patterns) are binary. Grain keys are strings, so a name's bytes
/// become a string one char per byte (Latin-1), which is lossless both ways.
/// </summary>
public static class GrainKeys
{
    /// <summary>The grain key of a name.</summary>
    public static string FromBytes(ReadOnlySpan<byte> name) => System.Text.Encoding.Latin1.GetString(name);

    /// <summary>The name of a grain key.</summary>
    public static byte[] ToBytes(string key) => System.Text.Encoding.Latin1.GetBytes(key);

    /// <summary>The grain key of a name given as text (HTTP): its UTF-8 bytes.</summary>
    public static string FromText(string name) => FromBytes(System.Text.Encoding.UTF8.GetBytes(name));

    /// <summary>The text of a grain key, for people (its bytes as UTF-8).</summary>
    public static string ToText(string key) => System.Text.Encoding.UTF8.GetString(ToBytes(key));
}
