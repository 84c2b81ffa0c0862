using System.Buffers;

namespace Platform.Api.Tests;

/// <summary>
/// Builds a multi-segment <see cref="ReadOnlySequence{T}"/> from chunks, as a pipe hands a
/// connection the bytes that arrived in separate receives.
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>A sequence whose segments are <paramref name="chunks"/>, in order (empty ones included).</summary>
    public static ReadOnlySequence<byte> Create(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        if (chunks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (chunks.Count == 1)
        {
            return new ReadOnlySequence<byte>(chunks[0]);
        }

        var first = new Segment(chunks[0], 0);
        var last = first;
        for (var i = 1; i < chunks.Count; i++)
        {
            last = last.Append(chunks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> at the given offsets (sorted or not, duplicates allowed).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, IEnumerable<int> cuts)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var cut in cuts.Select(c => Math.Clamp(c, 0, data.Length)).Order())
        {
            chunks.Add(data.AsMemory(start, cut - start));
            start = cut;
        }

        chunks.Add(data.AsMemory(start));
        return Create(chunks);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
