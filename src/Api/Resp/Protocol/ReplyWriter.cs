using System.Runtime.CompilerServices;

namespace Platform.Api.Resp.Protocol;

/// <summary>
/// Encodes replies into the connection's reply buffer, in the protocol the connection speaks
/// (RESP2 or RESP3: maps, sets, nulls and pushes differ). Replies of a whole receive batch
/// accumulate here and go to the socket in one write.
/// </summary>
internal sealed class ReplyWriter
{
    private readonly IErrorReplyObserver _errors;
    private byte[] _buffer = [];
    private int _length;

    public ReplyWriter(IErrorReplyObserver errors) => _errors = errors;

    /// <summary>2 or 3, as chosen with HELLO.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>While true (CLIENT REPLY OFF|SKIP), replies are dropped; error statistics still count.</summary>
    public bool Muted { get; set; }

    /// <summary>Bytes written and not yet taken.</summary>
    public int Length => _length;

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Forgets what was written; gives a large buffer back to the pool.</summary>
    public void Clear()
    {
        _length = 0;
        if (_buffer.Length > 64 * 1024)
        {
            Release();
        }
    }

    /// <summary>Gives the buffer back (an idle connection holds none).</summary>
    public void Release()
    {
        ByteBuffers.Return(ref _buffer);
        _length = 0;
    }

    /// <summary>Keeps only the first <paramref name="length"/> bytes (drops a reply CLIENT REPLY muted).</summary>
    public void Truncate(int length) => _length = length;

    /// <summary><c>+OK</c>.</summary>
    public void WriteOk() => WriteRaw("+OK\r\n"u8);

    /// <summary>A simple string: <c>+text</c>.</summary>
    public void WriteSimpleString(ReadOnlySpan<byte> text)
    {
        var span = Reserve(text.Length + 3);
        span[0] = (byte)'+';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        Advance(text.Length + 3);
    }

    /// <summary>
    /// An error reply: <paramref name="text"/> starts with its code ("ERR syntax error"). Counted
    /// in the error statistics even when muted, as Redis counts them.
    /// </summary>
    public void WriteError(ReadOnlySpan<byte> text)
    {
        _errors.OnErrorReply(text);
        var span = Reserve(text.Length + 3);
        span[0] = (byte)'-';
        text.CopyTo(span[1..]);
        span[text.Length + 1] = (byte)'\r';
        span[text.Length + 2] = (byte)'\n';
        Advance(text.Length + 3);
    }

    /// <summary>
    /// An error reply formatted from text that may hold newlines (names and arguments a client
    /// sent): trimmed of CR/LF at both ends and with inner CR/LF as spaces, as Redis's
    /// <c>addReplyErrorFormat</c> makes them.
    /// </summary>
    public void WriteFormattedError(ReadOnlySpan<byte> text)
    {
        text = text.Trim("\r\n"u8);
        var start = _length;
        WriteError(text);
        if (!Muted)
        {
            var written = _buffer.AsSpan(start + 1, text.Length);
            written.Replace((byte)'\r', (byte)' ');
            written.Replace((byte)'\n', (byte)' ');
        }
    }

    /// <summary>An integer: <c>:n</c>.</summary>
    public void WriteInteger(long value) => WritePrefixedNumber((byte)':', value);

    /// <summary>A bulk string.</summary>
    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        var span = Reserve(value.Length + RedisNumbers.MaxInt64Length + 5);
        span[0] = (byte)'$';
        var n = 1 + RedisNumbers.Format(value.Length, span[1..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        Advance(n);
    }

    /// <summary>A bulk string of the UTF-8 bytes of <paramref name="value"/>.</summary>
    public void WriteBulk(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length <= 256)
        {
            Span<byte> bytes = stackalloc byte[length];
            Encoding.UTF8.GetBytes(value, bytes);
            WriteBulk(bytes);
        }
        else
        {
            WriteBulk(Encoding.UTF8.GetBytes(value));
        }
    }

    /// <summary>A bulk string of the decimal text of <paramref name="value"/>.</summary>
    public void WriteBulk(long value)
    {
        Span<byte> text = stackalloc byte[RedisNumbers.MaxInt64Length];
        WriteBulk(text[..RedisNumbers.Format(value, text)]);
    }

    /// <summary>The null bulk string (RESP2 <c>$-1</c>, RESP3 <c>_</c>).</summary>
    public void WriteNullBulk() => WriteRaw(Protocol == 3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>The null array (RESP2 <c>*-1</c>, RESP3 <c>_</c>).</summary>
    public void WriteNullArray() => WriteRaw(Protocol == 3 ? "_\r\n"u8 : "*-1\r\n"u8);

    /// <summary>An array header.</summary>
    public void WriteArrayHeader(int count) => WritePrefixedNumber((byte)'*', count);

    /// <summary>A map header: RESP3 <c>%n</c>, RESP2 an array of 2n.</summary>
    public void WriteMapHeader(int pairs)
    {
        if (Protocol == 3)
        {
            WritePrefixedNumber((byte)'%', pairs);
        }
        else
        {
            WritePrefixedNumber((byte)'*', 2L * pairs);
        }
    }

    /// <summary>A set header: RESP3 <c>~n</c>, RESP2 an array.</summary>
    public void WriteSetHeader(int count) => WritePrefixedNumber(Protocol == 3 ? (byte)'~' : (byte)'*', count);

    /// <summary>A push header: RESP3 <c>&gt;n</c>, RESP2 an array.</summary>
    public void WritePushHeader(int count) => WritePrefixedNumber(Protocol == 3 ? (byte)'>' : (byte)'*', count);

    /// <summary>Text for humans (INFO, CLIENT LIST): RESP3 verbatim <c>=</c> with format "txt", RESP2 bulk.</summary>
    public void WriteVerbatimText(ReadOnlySpan<byte> text)
    {
        if (Protocol != 3)
        {
            WriteBulk(text);
            return;
        }

        var span = Reserve(text.Length + RedisNumbers.MaxInt64Length + 9);
        span[0] = (byte)'=';
        var n = 1 + RedisNumbers.Format(text.Length + 4, span[1..]);
        "\r\ntxt:"u8.CopyTo(span[n..]);
        n += 6;
        text.CopyTo(span[n..]);
        n += text.Length;
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        Advance(n);
    }

    /// <summary>Bytes already in RESP form (pre-encoded replies).</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        encoded.CopyTo(Reserve(encoded.Length));
        Advance(encoded.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WritePrefixedNumber(byte prefix, long value)
    {
        var span = Reserve(RedisNumbers.MaxInt64Length + 3);
        span[0] = prefix;
        var n = 1 + RedisNumbers.Format(value, span[1..]);
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        Advance(n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(int count)
    {
        if (!Muted)
        {
            _length += count;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        var needed = (long)_length + size;
        var capacity = (int)Math.Min(Array.MaxLength, Math.Max(needed, Math.Max(4096L, _buffer.Length * 2L)));
        var next = ByteBuffers.Rent(capacity);
        _buffer.AsSpan(0, _length).CopyTo(next);
        ByteBuffers.Return(ref _buffer);
        _buffer = next;
    }
}

/// <summary>Told of every error reply, for INFO errorstats and a command's failed calls.</summary>
internal interface IErrorReplyObserver
{
    /// <summary>An error reply whose text starts with its code.</summary>
    void OnErrorReply(ReadOnlySpan<byte> text);
}
