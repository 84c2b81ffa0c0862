namespace Platform.Grains.Streams.Dump;

/// <summary>LZF decompression, for the strings Redis compresses in its payloads (rdbcompression).</summary>
internal static class Lzf
{
    private const int MaxExpansion = 88;

    /// <summary>The <paramref name="length"/> bytes <paramref name="input"/> holds, or null if it is not LZF data of that length.</summary>
    public static byte[]? Decompress(ReadOnlySpan<byte> input, int length)
    {
        // Three bytes of back reference make at most 264: a length claiming more than that is
        // refused before anything is allocated for it.
        if (length > (long)input.Length * MaxExpansion)
        {
            return null;
        }

        var output = new byte[length];
        int from = 0, to = 0;
        while (from < input.Length)
        {
            int control = input[from++];
            if (control < 32)
            {
                // A literal run of control + 1 bytes.
                var run = control + 1;
                if (from + run > input.Length || to + run > length)
                {
                    return null;
                }

                input.Slice(from, run).CopyTo(output.AsSpan(to));
                from += run;
                to += run;
                continue;
            }

            // A back reference: copied byte by byte, as it may overlap what it writes.
            var count = control >> 5;
            if (count == 7)
            {
                if (from >= input.Length)
                {
                    return null;
                }

                count += input[from++];
            }

            if (from >= input.Length)
            {
                return null;
            }

            var back = to - ((control & 0x1f) << 8) - 1 - input[from++];
            count += 2;
            if (back < 0 || to + count > length)
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                output[to++] = output[back++];
            }
        }

        return to == length ? output : null;
    }
}
