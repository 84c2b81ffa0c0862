namespace Platform.Grains.Streams.Dump;

/// <summary>
/// The CRC that ends a DUMP payload: Redis's crc64 (Jones polynomial, reflected, initial value 0),
/// written little-endian.
/// </summary>
internal static class Crc64
{
    // 0xad93d23594c935a9, reflected.
    private const ulong Polynomial = 0x95ac9329ac4bc9b5;
    private static readonly ulong[] Table = CreateTable();

    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0UL;
        foreach (var b in data)
        {
            crc = Table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

    private static ulong[] CreateTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ulong)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
