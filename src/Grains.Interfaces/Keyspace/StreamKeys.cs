using System.Buffers;
using System.Globalization;

namespace Platform.Grains.Keyspace;

/// <summary>
/// Keys live in numbered databases (SELECT): a key's grain key is "{db}:{name}", the name being
/// the key's bytes one char per byte (see <see cref="GrainKeys"/>).
/// </summary>
public static class StreamKeys
{
    /// <summary>The grain key of <paramref name="name"/> in database <paramref name="database"/>.</summary>
    public static string Of(int database, string name) => $"{database}:{name}";

    /// <summary>The grain key of the name whose bytes are <paramref name="name"/>, made as one string
    /// (a command names its key in bytes; creating a key per command made two strings of it).</summary>
    public static string Of(int database, ReadOnlySpan<byte> name)
    {
        // The longest prefix: an int's digits and sign, and the colon.
        const int MaxPrefix = 12;
        var length = MaxPrefix + name.Length;
        char[]? rented = null;
        var chars = length <= 256 ? stackalloc char[length] : (rented = ArrayPool<char>.Shared.Rent(length));
        database.TryFormat(chars, out var written, provider: CultureInfo.InvariantCulture);
        chars[written++] = ':';
        GrainKeys.FromBytes(name, chars[written..]);
        var key = new string(chars[..(written + name.Length)]);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        return key;
    }

    /// <summary>The database and name of a grain key made by <see cref="Of(int, string)"/>.</summary>
    public static (int Database, string Name) Parse(string grainKey)
    {
        var colon = grainKey.IndexOf(':');
        return (int.Parse(grainKey.AsSpan(0, colon), CultureInfo.InvariantCulture), grainKey[(colon + 1)..]);
    }

    /// <summary>The keyspace grain's key for a database.</summary>
    public static string Database(int database) => database.ToString(CultureInfo.InvariantCulture);
}
