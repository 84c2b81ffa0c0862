namespace Platform.Api.Server;

/// <summary>
/// INFO errorstats: error replies counted by their code (the first word, "ERR", "WRONGPASS"),
/// as Redis counts them: a code is the text before a space found within the first 32 bytes of
/// the reply, else "ERR"; after 128 distinct codes, counting by code stops and only
/// ERRORSTATS_DISABLED remains, until CONFIG RESETSTAT.
/// </summary>
internal sealed class ErrorStats
{
    private const int MaxCodes = 128;
    private const string Disabled = "ERRORSTATS_DISABLED";

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private bool _disabled;

    /// <summary>Counts one error reply whose text (without '-') starts with its code.</summary>
    public void Record(ReadOnlySpan<byte> text)
    {
        // Redis searches the reply with its leading '-', so 31 bytes of ours.
        var window = text[..Math.Min(text.Length, 31)];
        var space = window.IndexOf((byte)' ');
        var code = space > 0 ? System.Text.Encoding.Latin1.GetString(text[..space]) : "ERR";

        lock (_lock)
        {
            if (_disabled)
            {
                return;
            }

            if (_counts.TryGetValue(code, out var count))
            {
                _counts[code] = count + 1;
            }
            else if (_counts.Count >= MaxCodes)
            {
                _counts.Clear();
                _counts[Disabled] = 1;
                _disabled = true;
            }
            else
            {
                _counts[code] = 1;
            }
        }
    }

    /// <summary>The counts in byte order of their codes, as INFO lists them.</summary>
    public KeyValuePair<string, long>[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _counts];
        }
    }

    /// <summary>CONFIG RESETSTAT.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _counts.Clear();
            _disabled = false;
        }
    }
}
