namespace Platform.Api.Server;

/// <summary>One command SLOWLOG keeps: its arguments as Redis shows them (cut and redacted).</summary>
internal sealed record SlowLogEntry(long Id, long UnixSeconds, long DurationMicros, byte[][] Args, string Address, string Name);

/// <summary>
/// SLOWLOG: the commands that ran at least slowlog-log-slower-than microseconds, newest first, at
/// most slowlog-max-len of them. Written by every connection, so under a lock: it is only touched
/// by commands that were slow already, or with a threshold chosen to see every command.
/// </summary>
internal sealed class SlowLog
{
    private readonly Lock _lock = new();
    private readonly LinkedList<SlowLogEntry> _entries = new();
    private long _nextId;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public void Add(long unixSeconds, long durationMicros, byte[][] args, string address, string name, long maxLength)
    {
        lock (_lock)
        {
            _entries.AddFirst(new SlowLogEntry(_nextId++, unixSeconds, durationMicros, args, address, name));
            while (_entries.Count > maxLength)
            {
                _entries.RemoveLast();
            }
        }
    }

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    public List<SlowLogEntry> Newest(long count)
    {
        lock (_lock)
        {
            return [.. _entries.Take((int)Math.Min(count, int.MaxValue))];
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
