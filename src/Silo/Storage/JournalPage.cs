using System.Buffers.Binary;
using System.Text;

namespace Platform.Silo.Storage;

/// <summary>
/// One journal row holding a commit's runs of records for many grains.
/// Each run is its grain's type, key and first version, then its records: a 2-byte type length,
/// the type, a 4-byte key length, the key, the 8-byte first version, a 4-byte records length and
/// the records, big-endian as PostgreSQL's int2send, int4send and int8send give them (the
/// migrations from a row per run build pages with them). Type and key are Latin-1, as keys are.
/// </summary>
internal sealed class JournalPage
{
    private byte[] _bytes = new byte[4096];

    /// <summary>The bytes laid out so far.</summary>
    public int Length { get; private set; }

    /// <summary>The page's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    /// <summary>The bytes before a run's records: its grain's type, key and first version.</summary>
    public static int HeaderLength(GrainName grain) => 2 + grain.Type.Length + 4 + grain.Key.Length + 8 + 4;

    /// <summary>Starts a new page.</summary>
    public void Clear() => Length = 0;

    /// <summary>Adds a run.</summary>
    /// <returns>Where its records start in the page.</returns>
    public int Add(GrainName grain, long firstVersion, byte[] records)
    {
        var length = HeaderLength(grain) + records.Length;
        Reserve(length);
        var span = _bytes.AsSpan(Length, length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)grain.Type.Length);
        span = span[2..];
        span = span[Encoding.Latin1.GetBytes(grain.Type, span)..];
        BinaryPrimitives.WriteInt32BigEndian(span, grain.Key.Length);
        span = span[4..];
        span = span[Encoding.Latin1.GetBytes(grain.Key, span)..];
        BinaryPrimitives.WriteInt64BigEndian(span, firstVersion);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], records.Length);
        records.CopyTo(span[12..]);
        Length += length;
        return Length - records.Length;
    }

    /// <summary>Adds a run copied whole, header and records, from another page.</summary>
    public void AddCopy(ReadOnlySpan<byte> run)
    {
        Reserve(run.Length);
        run.CopyTo(_bytes.AsSpan(Length));
        Length += run.Length;
    }

    /// <summary>Hands each run of a stored page, in order, to <paramref name="run"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a page.</exception>
    public static void Read(long seq, ReadOnlySpan<byte> page, RunReader run)
    {
        var at = 0;
        while (at < page.Length)
        {
            // Only the page's own bytes are checked here: what the reader throws is its own.
            ReadOnlySpan<byte> type, key;
            long firstVersion;
            int length;
            try
            {
                var typeLength = BinaryPrimitives.ReadUInt16BigEndian(page[at..]);
                type = page.Slice(at + 2, typeLength);
                at += 2 + typeLength;
                var keyLength = BinaryPrimitives.ReadInt32BigEndian(page[at..]);
                key = page.Slice(at + 4, keyLength);
                at += 4 + keyLength;
                firstVersion = BinaryPrimitives.ReadInt64BigEndian(page[at..]);
                length = BinaryPrimitives.ReadInt32BigEndian(page[(at + 8)..]);
                at += 12;
                if (length <= 0 || length > page.Length - at)
                {
                    throw new ArgumentOutOfRangeException(nameof(page));
                }
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new InvalidDataException($"The journal row {seq} is not a page of runs: it breaks off at byte {at} of {page.Length}.", e);
            }

            run(type, key, firstVersion, at, length);
            at += length;
        }
    }

    private void Reserve(int length)
    {
        if (Length + length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + length));
        }
    }
}

/// <summary>A run of a stored page: its grain's type and key (Latin-1), and where its records are.</summary>
internal delegate void RunReader(ReadOnlySpan<byte> type, ReadOnlySpan<byte> key, long firstVersion, int offset, int length);
