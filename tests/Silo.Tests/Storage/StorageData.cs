using System.Buffers.Binary;
using System.Text;
using Platform.Silo.Storage;

namespace Platform.Silo.Tests.Storage;

/// <summary>
/// Test data for grain storage. A record is its own version as 8 big-endian bytes, so a read tells
/// which versions came back, in which order, and whether each journal row starts at the version it
/// claims, however a provider groups records into rows.
/// </summary>
internal static class StorageData
{
    /// <summary><paramref name="count"/> records, versions <paramref name="first"/> on.</summary>
    public static byte[] Records(long first, int count)
    {
        var bytes = new byte[count * sizeof(long)];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * sizeof(long)), first + i);
        }

        return bytes;
    }

    /// <summary>The versions in a grain's journal, checking that each row starts where it says and that rows ascend.</summary>
    public static List<long> Versions(StoredGrain? grain)
    {
        Assert.NotNull(grain);
        var versions = new List<long>();
        foreach (var (firstVersion, records) in grain.Journal)
        {
            Assert.True(records.Length > 0 && records.Length % sizeof(long) == 0, $"a journal row of {records.Length} bytes");
            Assert.Equal(firstVersion, BinaryPrimitives.ReadInt64BigEndian(records));
            Assert.True(versions.Count == 0 || firstVersion > versions[^1], $"row {firstVersion} after version {versions.LastOrDefault()}");
            for (var offset = 0; offset < records.Length; offset += sizeof(long))
            {
                versions.Add(BinaryPrimitives.ReadInt64BigEndian(records.AsSpan(offset)));
            }
        }

        return versions;
    }

    /// <summary>Versions <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    public static List<long> Range(long from, long to)
    {
        var versions = new List<long>();
        for (var v = from; v <= to; v++)
        {
            versions.Add(v);
        }

        return versions;
    }

    /// <summary>The key whose bytes are <paramref name="bytes"/> (keys are Latin-1, one char per byte).</summary>
    public static string Key(params byte[] bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Latin-1 bytes of a text.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A grain's stored state as one line, rows and all, for before/after comparisons.</summary>
    public static string Describe(StoredGrain? grain) =>
        grain is null
            ? "absent"
            : $"snapshot={(grain.Snapshot is null ? "none" : Convert.ToHexString(grain.Snapshot))}@{grain.SnapshotVersion} " +
              $"expires={grain.ExpiresAtMs} journal=[{string.Join(' ', grain.Journal.Select(r => $"{r.FirstVersion}:{Convert.ToHexString(r.Records)}"))}]";

    /// <summary>Everything <paramref name="storage"/> holds under <paramref name="type"/> about <paramref name="keys"/>, and every listed key.</summary>
    public static async Task<string> DumpAsync(IGrainStorage storage, string type, params string[] keys)
    {
        var lines = new List<string>();
        foreach (var key in keys)
        {
            lines.Add($"{Printable(key)}: {Describe(await storage.ReadAsync(type, key, CancellationToken.None))}");
        }

        var listed = await storage.ListAsync(type, "", CancellationToken.None);
        lines.AddRange(listed.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"listed {Printable(k.Key)} {k.ExpiresAtMs}"));
        return string.Join('\n', lines);
    }

    /// <summary>A key as printable text for assertion messages (bytes outside printable ASCII, and the backslash, as \xNN).</summary>
    public static string Printable(string key)
    {
        var text = new StringBuilder();
        foreach (var c in key)
        {
            text.Append(c is >= ' ' and < '\x7f' and not '\\' ? c.ToString() : $"\\x{(int)c:x2}");
        }

        return text.ToString();
    }
}
