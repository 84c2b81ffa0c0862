namespace Platform.Grains.Keyspace;

/// <summary>
/// Keys live in numbered databases (SELECT): a key's grain key is "{db}:{name}", the name being
/// the key's bytes one char per byte (see <see cref="GrainKeys"/>).
/// </summary>
public static class StreamKeys
{
    /// <summary>The grain key of <paramref name="name"/> in database <paramref name="database"/>.</summary>
    public static string Of(int database, string name) => $"{database}:{name}";

    /// <summary>The database and name of a grain key made by <see cref="Of"/>.</summary>
    public static (int Database, string Name) Parse(string grainKey)
    {
        var colon = grainKey.IndexOf(':');
        return (int.Parse(grainKey.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture), grainKey[(colon + 1)..]);
    }

    /// <summary>The keyspace grain's key for a database.</summary>
    public static string Database(int database) => database.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
