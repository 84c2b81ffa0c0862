using Platform.Api.Resp.Protocol;
using Platform.Grains.Streams;

namespace Platform.Api.Resp.Commands.Streams;

/// <summary>How stream entries and errors are written, as Redis writes them.</summary>
internal static class StreamReplies
{
    public static ReadOnlySpan<byte> InvalidId => "ERR Invalid stream ID specified as stream command argument"u8;

    /// <summary>+OK, or the error when there is one.</summary>
    public static void WriteOkOr(ReplyWriter reply, ReadOnlySpan<byte> error)
    {
        if (error.IsEmpty)
        {
            reply.WriteOk();
        }
        else
        {
            reply.WriteError(error);
        }
    }

    /// <summary>Entries: an array of [id, [field, value, ...]]; a missing entry is [id, null array].</summary>
    public static void WriteEntries(ReplyWriter reply, StreamEntries entries)
    {
        reply.WriteArrayHeader(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            WriteEntry(reply, entries, i);
        }
    }

    /// <summary>One entry: [id, [field, value, ...]].</summary>
    public static void WriteEntry(ReplyWriter reply, StreamEntries entries, int index)
    {
        reply.WriteArrayHeader(2);
        StreamIds.Write(reply, entries.Id(index));
        if (entries.IsMissing(index))
        {
            reply.WriteNullArray();
            return;
        }

        var fields = entries.FieldCount(index);
        reply.WriteArrayHeader(fields * 2);
        for (var f = 0; f < fields; f++)
        {
            reply.WriteBulk(entries.Name(index, f));
            reply.WriteBulk(entries.Value(index, f));
        }
    }

    /// <summary>Just the IDs (JUSTID replies).</summary>
    public static void WriteIds(ReplyWriter reply, StreamEntries entries)
    {
        reply.WriteArrayHeader(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            StreamIds.Write(reply, entries.Id(i));
        }
    }

    /// <summary>The XREAD/XREADGROUP reply: per stream, its name and entries; a map in RESP3.</summary>
    public static void WriteStreams(ReplyWriter reply, IReadOnlyList<(ReadOnlyMemory<byte> Name, StreamEntries Entries)> streams)
    {
        if (reply.Protocol == 3)
        {
            reply.WriteMapHeader(streams.Count);
        }
        else
        {
            reply.WriteArrayHeader(streams.Count);
        }

        foreach (var (name, entries) in streams)
        {
            if (reply.Protocol != 3)
            {
                reply.WriteArrayHeader(2);
            }

            reply.WriteBulk(name.Span);
            WriteEntries(reply, entries);
        }
    }

    /// <summary>"-NOGROUP No such key 'k' or consumer group 'g'" with a suffix (XREADGROUP adds one).</summary>
    public static void WriteNoKeyOrGroup(ReplyWriter reply, ReadOnlySpan<byte> key, ReadOnlySpan<byte> group, ReadOnlySpan<byte> suffix = default)
    {
        reply.WriteFormattedError([.. "NOGROUP No such key '"u8, .. CString(key), .. "' or consumer group '"u8, .. CString(group), .. "'"u8, .. suffix]);
    }

    /// <summary>"-NOGROUP No such consumer group 'g' for key name 'k'".</summary>
    public static void WriteNoGroupForKey(ReplyWriter reply, ReadOnlySpan<byte> key, ReadOnlySpan<byte> group)
    {
        reply.WriteFormattedError([.. "NOGROUP No such consumer group '"u8, .. CString(group), .. "' for key name '"u8, .. CString(key), .. "'"u8]);
    }

    // Redis formats names with %s: they end at a NUL.
    private static ReadOnlySpan<byte> CString(ReadOnlySpan<byte> value)
    {
        var nul = value.IndexOf((byte)0);
        return nul >= 0 ? value[..nul] : value;
    }
}
