using System.Text.Unicode;
using Platform.Grains.Streams;

namespace Platform.Api.Http.Streams;

/// <summary>Stream entries and IDs in their JSON forms.</summary>
internal static class Entries
{
    /// <summary>The entries <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).</summary>
    public static List<StreamEntry> ToJson(StreamEntries entries, int from = 0, int to = -1)
    {
        to = to < 0 ? entries.Count : to;
        var list = new List<StreamEntry>(Math.Max(0, to - from));
        for (var i = from; i < to; i++)
        {
            list.Add(ToJson(entries, i));
        }

        return list;
    }

    /// <summary>Entry <paramref name="index"/>: fields as an object when it can be, else base64 pairs.</summary>
    public static StreamEntry ToJson(StreamEntries entries, int index)
    {
        var id = entries.Id(index).ToString();
        if (entries.IsMissing(index))
        {
            return new StreamEntry(id, Deleted: true);
        }

        var count = entries.FieldCount(index);
        if (AsObject(entries, index, count) is { } fields)
        {
            return new StreamEntry(id, fields);
        }

        var pairs = new string[count][];
        for (var f = 0; f < count; f++)
        {
            pairs[f] = [Convert.ToBase64String(entries.Name(index, f)), Convert.ToBase64String(entries.Value(index, f))];
        }

        return new StreamEntry(id, FieldsBase64: pairs);
    }

    /// <summary>Just the IDs (JUSTID).</summary>
    public static List<string> Ids(StreamEntries entries)
    {
        var ids = new List<string>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            ids.Add(entries.Id(i).ToString());
        }

        return ids;
    }

    // The fields as an object, or null when a name or value is not UTF-8 or a name repeats.
    private static Dictionary<string, string>? AsObject(StreamEntries entries, int index, int count)
    {
        var fields = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var f = 0; f < count; f++)
        {
            var name = entries.Name(index, f);
            var value = entries.Value(index, f);
            if (!Utf8.IsValid(name) || !Utf8.IsValid(value) || !fields.TryAdd(Encoding.UTF8.GetString(name), Encoding.UTF8.GetString(value)))
            {
                return null;
            }
        }

        return fields;
    }
}
