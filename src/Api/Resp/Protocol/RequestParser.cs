using System.Buffers;
using System.Runtime.CompilerServices;

namespace Platform.Api.Resp.Protocol;

/// <summary>What <see cref="RequestParser.Parse"/> found at the head of the buffer.</summary>
internal enum ParseStatus
{
    /// <summary>The buffer holds no complete command yet.</summary>
    NeedMoreData,

    /// <summary>A command was parsed into the arguments.</summary>
    Command,

    /// <summary>Bytes were consumed that carry no command (an empty line, <c>*0</c>, <c>*-1</c>).</summary>
    Skip,

    /// <summary>A protocol error: reply with it and close the connection.</summary>
    Error,
}

/// <summary>Limits in force for the next command; they depend on the connection's state.</summary>
/// <param name="MaxBulkLength">proto-max-bulk-len.</param>
/// <param name="AuthRequired">Before AUTH, Redis accepts at most 10 arguments of 16 KiB.</param>
internal readonly record struct ParseLimits(long MaxBulkLength, bool AuthRequired);

/// <summary>
/// Parses requests exactly as Redis's <c>processMultibulkBuffer</c> and <c>processInlineBuffer</c>
/// do, errors and quirks included (a header line ends at its '\r' with any byte after it; a NUL
/// before the '\r' hides the line, as <c>strchr</c> does; the two bytes after a bulk are skipped
/// unread). A command is parsed in place when it lies in the buffer's first segment; one that
/// crosses segments is copied once into a scratch buffer, and a large argument still arriving is
/// waited for without copying or rescanning.
/// </summary>
internal sealed class RequestParser
{
    /// <summary>PROTO_INLINE_MAX_SIZE: the longest header or inline line.</summary>
    public const int InlineMaxSize = 64 * 1024;

    private const int UnauthenticatedMaxArguments = 10;
    private const int UnauthenticatedMaxBulk = 16 * 1024;

    private byte[] _scratch = [];
    private byte[] _inlineArena = [];

    // Bytes, from the start of the command at the head of the buffer, known to be needed
    // before it can complete (set when a bulk's length is known but its data is not all here).
    private long _required;

    /// <summary>
    /// Bytes, from the start of the command at the head of the buffer, that it is known to need:
    /// a receive buffer this large takes it whole.
    /// </summary>
    public long BytesNeeded => _required;

    /// <summary>The protocol error of the last <see cref="ParseStatus.Error"/>.</summary>
    public ProtocolError Error { get; private set; }

    /// <summary>For <see cref="ProtocolError.ExpectedDollar"/>: the byte found instead.</summary>
    public byte UnexpectedByte { get; private set; }

    /// <summary>
    /// Parses the command at the head of <paramref name="buffer"/>. On <see cref="ParseStatus.Command"/>
    /// and <see cref="ParseStatus.Skip"/> the buffer is moved past it; otherwise it is left as is.
    /// </summary>
    public ParseStatus Parse(ref ReadOnlySequence<byte> buffer, CommandArguments args, ParseLimits limits)
    {
        if (buffer.Length < _required)
        {
            return ParseStatus.NeedMoreData;
        }

        var first = buffer.First;
        var status = ParseContiguous(first, args, limits, out var consumed);
        if (status == ParseStatus.NeedMoreData && first.Length < buffer.Length)
        {
            status = ParseAcrossSegments(buffer, args, limits, out consumed);
        }

        if (status is ParseStatus.Command or ParseStatus.Skip)
        {
            _required = 0;
            buffer = buffer.Slice(consumed);
        }
        else if (status == ParseStatus.Error)
        {
            _required = 0;
        }

        return status;
    }

    /// <summary>Returns the scratch buffers to the pool; called when a receive batch is done.</summary>
    public void ReleaseBuffers()
    {
        ByteBuffers.Return(ref _scratch);
        ByteBuffers.Return(ref _inlineArena);
    }

    private static void EnsureCapacity(ref byte[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            ByteBuffers.Return(ref buffer);
            buffer = ByteBuffers.Rent(length);
        }
    }

    // The command crosses a segment boundary: copy a growing prefix into one block until the
    // command completes there, or the whole buffer has been tried.
    private ParseStatus ParseAcrossSegments(
        in ReadOnlySequence<byte> buffer, CommandArguments args, ParseLimits limits, out int consumed)
    {
        var want = Math.Max(buffer.First.Length + 4096, _required);
        while (true)
        {
            var length = (int)Math.Min(Math.Min(buffer.Length, want), Array.MaxLength);
            EnsureCapacity(ref _scratch, length);

            buffer.Slice(0, length).CopyTo(_scratch);
            var status = ParseContiguous(_scratch.AsMemory(0, length), args, limits, out consumed);
            if (status != ParseStatus.NeedMoreData || length == buffer.Length || length == Array.MaxLength)
            {
                return status;
            }

            want = Math.Max(want * 2, _required);
        }
    }

    private ParseStatus ParseContiguous(
        ReadOnlyMemory<byte> memory, CommandArguments args, ParseLimits limits, out int consumed)
    {
        var span = memory.Span;
        if (span.Length == 0)
        {
            consumed = 0;
            return ParseStatus.NeedMoreData;
        }

        if (span[0] == (byte)'*')
        {
            args.Reset(memory);
            return ParseMultibulk(span, args, limits, out consumed);
        }

        return ParseInline(span, args, out consumed);
    }

    private ParseStatus ParseMultibulk(ReadOnlySpan<byte> span, CommandArguments args, ParseLimits limits, out int consumed)
    {
        consumed = 0;
        var lineEnd = FindLineEnd(span, 0);
        if (lineEnd < 0)
        {
            return span.Length > InlineMaxSize ? Fail(ProtocolError.TooBigMultibulkCount) : ParseStatus.NeedMoreData;
        }

        if (lineEnd + 2 > span.Length)
        {
            return ParseStatus.NeedMoreData;
        }

        if (!RedisNumbers.TryParseInt64(span[1..lineEnd], out var count) || count > int.MaxValue)
        {
            return Fail(ProtocolError.InvalidMultibulkLength);
        }

        if (count > UnauthenticatedMaxArguments && limits.AuthRequired)
        {
            return Fail(ProtocolError.UnauthenticatedMultibulkLength);
        }

        var position = lineEnd + 2;
        if (count <= 0)
        {
            consumed = position;
            return ParseStatus.Skip;
        }

        for (var remaining = count; remaining > 0; remaining--)
        {
            lineEnd = FindLineEnd(span, position);
            if (lineEnd < 0)
            {
                return span.Length - position > InlineMaxSize ? Fail(ProtocolError.TooBigBulkCount) : ParseStatus.NeedMoreData;
            }

            if (lineEnd + 2 > span.Length)
            {
                return ParseStatus.NeedMoreData;
            }

            if (span[position] != (byte)'$')
            {
                UnexpectedByte = span[position];
                return Fail(ProtocolError.ExpectedDollar);
            }

            if (!RedisNumbers.TryParseInt64(span[(position + 1)..lineEnd], out var length)
                || length < 0 || length > limits.MaxBulkLength)
            {
                return Fail(ProtocolError.InvalidBulkLength);
            }

            if (length > UnauthenticatedMaxBulk && limits.AuthRequired)
            {
                return Fail(ProtocolError.UnauthenticatedBulkLength);
            }

            position = lineEnd + 2;
            if (span.Length - position < length + 2)
            {
                _required = position + length + 2;
                return ParseStatus.NeedMoreData;
            }

            args.Add(position, (int)length);
            position += (int)length + 2;
        }

        consumed = position;
        return ParseStatus.Command;
    }

    private ParseStatus ParseInline(ReadOnlySpan<byte> span, CommandArguments args, out int consumed)
    {
        consumed = 0;
        var newline = FindByteBeforeNul(span, 0, (byte)'\n');
        if (newline < 0)
        {
            return span.Length > InlineMaxSize ? Fail(ProtocolError.TooBigInlineRequest) : ParseStatus.NeedMoreData;
        }

        var lineLength = newline > 0 && span[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        var line = span[..lineLength];

        // The line is split as a C string: a NUL ends it.
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            line = line[..nul];
        }

        EnsureCapacity(ref _inlineArena, Math.Max(line.Length, 256));

        args.Reset(_inlineArena);
        if (!InlineSplitter.TrySplit(line, _inlineArena, args))
        {
            return Fail(ProtocolError.UnbalancedQuotes);
        }

        consumed = newline + 1;
        return args.Count == 0 ? ParseStatus.Skip : ParseStatus.Command;
    }

    // Index of the '\r' ending the header line that starts at 'from', or -1 when there is none
    // yet. A NUL before it hides it, as strchr stops at NUL.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindLineEnd(ReadOnlySpan<byte> span, int from) => FindByteBeforeNul(span, from, (byte)'\r');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindByteBeforeNul(ReadOnlySpan<byte> span, int from, byte value)
    {
        var index = span[from..].IndexOfAny(value, (byte)0);
        if (index < 0 || span[from + index] == 0)
        {
            return -1;
        }

        return from + index;
    }

    private ParseStatus Fail(ProtocolError error)
    {
        Error = error;
        return ParseStatus.Error;
    }
}
