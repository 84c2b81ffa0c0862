using System.Runtime.CompilerServices;

namespace Platform.Api.Resp.Protocol;

/// <summary>
/// The arguments of the command being executed: slices of one block of memory, usually the
/// connection's receive buffer itself, so no argument is copied or turned into a string unless
/// a command asks for it. Valid until the next command is parsed; a command that keeps an
/// argument beyond its own execution copies it.
/// </summary>
internal sealed class CommandArguments
{
    private ReadOnlyMemory<byte> _source;
    private Slice[] _slices = new Slice[8];
    // Only the few commands that pass arguments on as memory need this: made on first use.
    private ReadOnlyMemory<byte>[] _memories = [];

    /// <summary>Number of arguments, the command name included.</summary>
    public int Count { get; private set; }

    /// <summary>The argument at <paramref name="index"/> (0 is the command name).</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var slice = _slices[index];
            return _source.Span.Slice(slice.Start, slice.Length);
        }
    }

    /// <summary>The argument as memory, for use across an await within the command.</summary>
    public ReadOnlyMemory<byte> Memory(int index) => _source.Slice(_slices[index].Start, _slices[index].Length);

    /// <summary>
    /// Arguments <paramref name="start"/> to <paramref name="start"/>+<paramref name="count"/> as
    /// memory, in an array this object reuses: valid until the next call.
    /// </summary>
    public ReadOnlyMemory<ReadOnlyMemory<byte>> Memories(int start, int count)
    {
        if (_memories.Length < count)
        {
            _memories = new ReadOnlyMemory<byte>[Math.Max(count, Math.Max(8, _memories.Length * 2))];
        }

        for (var i = 0; i < count; i++)
        {
            _memories[i] = Memory(start + i);
        }

        return _memories.AsMemory(0, count);
    }

    /// <summary>A copy of the argument that outlives the command.</summary>
    public byte[] ToArray(int index) => this[index].ToArray();

    /// <summary>The argument decoded as UTF-8 (allocates).</summary>
    public string ToUtf8String(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary>True when the argument equals <paramref name="token"/>, ignoring ASCII case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Is(int index, ReadOnlySpan<byte> token) => Ascii.EqualsIgnoreCase(this[index], token);

    /// <summary>Total bytes of all arguments (CLIENT LIST's argv-mem).</summary>
    public long TotalBytes
    {
        get
        {
            long total = 0;
            for (var i = 0; i < Count; i++)
            {
                total += _slices[i].Length;
            }

            return total;
        }
    }

    internal void Reset(ReadOnlyMemory<byte> source)
    {
        _source = source;
        Count = 0;
    }

    internal void Add(int start, int length)
    {
        if (Count == _slices.Length)
        {
            Array.Resize(ref _slices, _slices.Length * 2);
        }

        _slices[Count++] = new Slice(start, length);
    }

    /// <summary>Gives back a large range table after an unusually long command.</summary>
    internal void Trim()
    {
        if (_slices.Length > 1024)
        {
            _slices = new Slice[8];
            _memories = [];
        }

        _source = default;
        Count = 0;
    }

    private readonly record struct Slice(int Start, int Length);
}
