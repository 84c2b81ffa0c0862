namespace Platform.Grains;

/// <summary>
/// Redis names (keys, channels, patterns) are binary. Grain keys are strings, so a name's bytes
/// become a string one char per byte (Latin-1), which is lossless both ways.
/// </summary>
public static class GrainKeys
{
    /// <summary>The grain key of a name.</summary>
    public static string FromBytes(ReadOnlySpan<byte> name) => System.Text.Encoding.Latin1.GetString(name);

    /// <summary>Writes the grain key of a name into <paramref name="destination"/> (one char per byte).</summary>
    public static void FromBytes(ReadOnlySpan<byte> name, Span<char> destination) => System.Text.Encoding.Latin1.GetChars(name, destination);

    /// <summary>Whether <paramref name="key"/> is the grain key of the name <paramref name="name"/>, without making it.</summary>
    public static bool IsKeyOf(ReadOnlySpan<char> key, ReadOnlySpan<byte> name)
    {
        if (key.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (key[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The name of a grain key.</summary>
    public static byte[] ToBytes(string key) => System.Text.Encoding.Latin1.GetBytes(key);

    /// <summary>The grain key of a name given as text (HTTP): its UTF-8 bytes.</summary>
    public static string FromText(string name) => FromBytes(System.Text.Encoding.UTF8.GetBytes(name));

    /// <summary>The text of a grain key, for people (its bytes as UTF-8).</summary>
    public static string ToText(string key) => System.Text.Encoding.UTF8.GetString(ToBytes(key));
}
