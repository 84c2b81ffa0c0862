using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;

namespace Platform.Client.Protocol;

/// <summary>
/// Encodes one command's arguments as RESP bulk strings, outside any lock, into a pooled buffer;
/// the connection then copies the array header and these bytes into its output pipe under its
/// write lock. Builders are pooled: one is taken per command and given back once written.
/// </summary>
internal sealed class CommandBuilder
{
    private const int MaxPooled = 256;
    private const int MaxPooledBuffer = 64 * 1024;
    private static readonly ConcurrentQueue<CommandBuilder> Pool = new();
    private static int _pooled;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(256);
    private int _length;

    private CommandBuilder()
    {
    }

    /// <summary>The command's name, for messages.</summary>
    public string Name { get; private set; } = "";

    /// <summary>How many arguments (the name included) have been added.</summary>
    public int Count { get; private set; }

    /// <summary>How many bytes <see cref="WriteTo"/> writes.</summary>
    public int EncodedLength => 1 + DigitCount(Count) + 2 + _length;

    /// <summary>Takes a builder from the pool and adds the command name.</summary>
    public static CommandBuilder Rent(string name)
    {
        if (Pool.TryDequeue(out var builder))
        {
            Interlocked.Decrement(ref _pooled);
        }
        else
        {
            builder = new CommandBuilder();
        }

        builder.Name = name;
        return builder.Add(name);
    }

    /// <summary>Gives the builder back to the pool.</summary>
    public void Return()
    {
        _length = 0;
        Count = 0;
        Name = "";
        if (_buffer.Length > MaxPooledBuffer)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(256);
        }

        if (Interlocked.Increment(ref _pooled) <= MaxPooled)
        {
            Pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    /// <summary>Adds a binary argument.</summary>
    public CommandBuilder Add(ReadOnlySpan<byte> value)
    {
        var span = Reserve(1 + 20 + 2 + value.Length + 2);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(value.Length, span[1..], out var written);
        var at = 1 + written;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        value.CopyTo(span[at..]);
        at += value.Length;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        _length += at;
        Count++;
        return this;
    }

    /// <summary>Adds a text argument, encoded as UTF-8.</summary>
    public CommandBuilder Add(string value)
    {
        var size = Encoding.UTF8.GetByteCount(value);
        var span = Reserve(1 + 20 + 2 + size + 2);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(size, span[1..], out var written);
        var at = 1 + written;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        at += Encoding.UTF8.GetBytes(value, span[at..]);
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        _length += at;
        Count++;
        return this;
    }

    /// <summary>Adds an integer argument as its decimal text.</summary>
    public CommandBuilder Add(long value)
    {
        Span<byte> text = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, text, out var written);
        return Add(text[..written]);
    }

    /// <summary>Adds a floating-point argument as its shortest round-trip text.</summary>
    public CommandBuilder Add(double value) => Add(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Adds a stream entry ID as "ms-seq".</summary>
    public CommandBuilder Add(StreamId id)
    {
        Span<byte> text = stackalloc byte[41];
        id.TryFormat(text, out var written);
        return Add(text[..written]);
    }

    /// <summary>Writes "*count\r\n" and the encoded arguments.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        var size = EncodedLength;
        var span = writer.GetSpan(size);
        span[0] = (byte)'*';
        Utf8Formatter.TryFormat(Count, span[1..], out var written);
        var at = 1 + written;
        span[at++] = (byte)'\r';
        span[at++] = (byte)'\n';
        _buffer.AsSpan(0, _length).CopyTo(span[at..]);
        writer.Advance(at + _length);
    }

    /// <summary>The arguments as text, for logs and tests.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_buffer, 0, _length);

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_length);
    }

    private static int DigitCount(int value) => value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value.ToString(CultureInfo.InvariantCulture).Length;
}
