using System.Buffers;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Tests;

/// <summary>
/// Any valid command stream parses to the same commands however its bytes are split: in one
/// span, as a sequence cut into segments at arbitrary bytes, and arriving in pieces (down to one
/// byte at a time) the way a pipe hands the connection growing buffers.
/// </summary>
public sealed class RequestParserPropertyTests
{
    private static readonly ParseLimits Limits = new(512L * 1024 * 1024, AuthRequired: false);

    [Fact]
    public void Whole_buffer_parses_to_the_generated_commands()
    {
        Prop.ForAll(Generators.Stream().ToArbitrary(), stream =>
        {
            var parsed = ParseWhole(stream.Wire);
            return Same(stream.Expected, parsed);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Segmented_sequence_parses_like_the_whole_buffer()
    {
        var gen =
            from stream in Generators.Stream()
            from cuts in Gen.Choose(0, stream.Wire.Length).ArrayOf()
            select (stream, cuts);

        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var whole = ParseWhole(t.stream.Wire);
            var segmented = ParseSegmented(SegmentedSequence.Split(t.stream.Wire, t.cuts));
            return Same(whole, segmented) && Same(t.stream.Expected, segmented);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_segment_boundary_of_one_command_parses_alike()
    {
        // Exhaustive over one cut (and pairs of cuts) for a few fixed commands mixing both forms.
        var wire = Encoding.Latin1.GetBytes(
            "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$5\r\na\r\nb\0\r\nPING \"x\\x41\\n\" 'it\\'s'\r\n\r\n*0\r\n*-1\r\nECHO hi\n");
        var expected = ParseWhole(wire);
        Assert.Equal(
            ["SET||a\r\nb\0", "PING|xA\n|it's", "ECHO|hi"],
            expected.Select(c => string.Join('|', c.Select(Encoding.Latin1.GetString))));
        for (var i = 0; i <= wire.Length; i++)
        {
            for (var j = i; j <= wire.Length; j++)
            {
                Assert.True(Same(expected, ParseSegmented(SegmentedSequence.Split(wire, [i, j]))), $"cuts at {i} and {j}");
            }
        }
    }

    [Fact]
    public void Growing_prefixes_in_random_pieces_parse_like_the_whole_buffer()
    {
        var gen =
            from stream in Generators.Stream()
            from pieces in Gen.Choose(1, 700).ArrayOf()
            select (stream, pieces);

        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var arrived = ParseArriving(t.stream.Wire, t.pieces);
            return Same(t.stream.Expected, arrived) && Same(ParseWhole(t.stream.Wire), arrived);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Byte_by_byte_arrival_parses_like_the_whole_buffer()
    {
        var gen = Generators.Stream(maxCommands: 6, allowLarge: false);
        Prop.ForAll(gen.ToArbitrary(), stream =>
        {
            var arrived = ParseArriving(stream.Wire, [1]);
            return Same(stream.Expected, arrived);
        }).QuickCheckThrowOnFailure();
    }

    // One span, as when the whole stream arrived in one receive.
    private static List<byte[][]> ParseWhole(byte[] wire) => ParseSegmented(new ReadOnlySequence<byte>(wire));

    private static List<byte[][]> ParseSegmented(ReadOnlySequence<byte> buffer)
    {
        var parser = new RequestParser();
        var args = new CommandArguments();
        var commands = new List<byte[][]>();
        while (true)
        {
            var status = parser.Parse(ref buffer, args, Limits);
            switch (status)
            {
                case ParseStatus.Command:
                    commands.Add(Copy(args));
                    break;
                case ParseStatus.Skip:
                    break;
                case ParseStatus.NeedMoreData:
                    Assert.True(buffer.IsEmpty, $"{buffer.Length} bytes left unparsed");
                    return commands;
                default:
                    throw new InvalidOperationException($"Parse failed: {parser.Error}");
            }
        }
    }

    // The bytes arrive in pieces of the given sizes (cycled); each receive shows the parser what
    // is still unconsumed, as segments of the receives it came in, like a Pipe.
    private static List<byte[][]> ParseArriving(byte[] wire, int[] pieceSizes)
    {
        if (pieceSizes.Length == 0)
        {
            pieceSizes = [wire.Length];
        }

        var parser = new RequestParser();
        var args = new CommandArguments();
        var commands = new List<byte[][]>();
        var pending = new List<ReadOnlyMemory<byte>>();
        var offset = 0;
        var piece = 0;
        while (offset < wire.Length)
        {
            var size = Math.Min(Math.Max(1, pieceSizes[piece++ % pieceSizes.Length]), wire.Length - offset);
            pending.Add(wire.AsMemory(offset, size));
            offset += size;

            var buffer = SegmentedSequence.Create(pending);
            while (true)
            {
                var status = parser.Parse(ref buffer, args, Limits);
                if (status == ParseStatus.NeedMoreData)
                {
                    break;
                }

                if (status == ParseStatus.Error)
                {
                    throw new InvalidOperationException($"Parse failed: {parser.Error}");
                }

                if (status == ParseStatus.Command)
                {
                    commands.Add(Copy(args));
                }
            }

            pending = Remaining(buffer);
            parser.ReleaseBuffers();
        }

        Assert.Empty(pending);
        return commands;
    }

    private static List<ReadOnlyMemory<byte>> Remaining(ReadOnlySequence<byte> buffer)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        foreach (var memory in buffer)
        {
            if (!memory.IsEmpty)
            {
                chunks.Add(memory);
            }
        }

        return chunks;
    }

    private static byte[][] Copy(CommandArguments args)
    {
        var copy = new byte[args.Count][];
        for (var i = 0; i < args.Count; i++)
        {
            copy[i] = args[i].ToArray();
        }

        return copy;
    }

    private static bool Same(IReadOnlyList<byte[][]> expected, IReadOnlyList<byte[][]> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Length != actual[i].Length)
            {
                return false;
            }

            for (var j = 0; j < expected[i].Length; j++)
            {
                if (!expected[i][j].AsSpan().SequenceEqual(actual[i][j]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A generated command stream: its wire bytes and the commands it must parse to.</summary>
    public sealed record CommandStream(byte[] Wire, List<byte[][]> Expected)
    {
        public override string ToString() =>
            $"{Wire.Length} bytes, {Expected.Count} commands: \"{Escape(Wire.AsSpan(0, Math.Min(Wire.Length, 400)))}\"";

        private static string Escape(ReadOnlySpan<byte> bytes)
        {
            var text = new StringBuilder();
            foreach (var b in bytes)
            {
                text.Append(b is >= 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
            }

            return text.ToString();
        }
    }

    private static class Generators
    {
        private const string WordCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:@$%";

        public static Gen<CommandStream> Stream(int maxCommands = 25, bool allowLarge = true) =>
            from count in Gen.Choose(1, maxCommands)
            from pieces in Piece(allowLarge).ArrayOf(count)
            select Join(pieces);

        private static CommandStream Join(IEnumerable<(byte[] Wire, byte[][]? Command)> pieces)
        {
            var wire = new List<byte>();
            var expected = new List<byte[][]>();
            foreach (var (bytes, command) in pieces)
            {
                wire.AddRange(bytes);
                if (command is not null)
                {
                    expected.Add(command);
                }
            }

            return new CommandStream([.. wire], expected);
        }

        private static Gen<(byte[] Wire, byte[][]? Command)> Piece(bool allowLarge) => Gen.Frequency<(byte[] Wire, byte[][]? Command)>(
            (6, Multibulk(allowLarge)),
            (4, Inline()),
            (1, Gen.Elements("\r\n", "\n", "  \t \r\n", "*0\r\n", "*-1\r\n")
                .Select(skip => (Encoding.Latin1.GetBytes(skip), (byte[][]?)null))));

        private static Gen<(byte[] Wire, byte[][]? Command)> Multibulk(bool allowLarge) =>
            from count in Gen.Choose(1, 8)
            from args in BinaryArgument(allowLarge).ArrayOf(count)
            select (EncodeMultibulk(args), (byte[][]?)args);

        private static byte[] EncodeMultibulk(byte[][] args)
        {
            var wire = new List<byte>();
            wire.AddRange(Encoding.ASCII.GetBytes($"*{args.Length}\r\n"));
            foreach (var arg in args)
            {
                wire.AddRange(Encoding.ASCII.GetBytes($"${arg.Length}\r\n"));
                wire.AddRange(arg);
                wire.AddRange("\r\n"u8.ToArray());
            }

            return [.. wire];
        }

        // Random binary content: mostly short, sometimes a few hundred bytes, rarely past the
        // parser's 4 KiB look-ahead when a command crosses segments.
        private static Gen<byte[]> BinaryArgument(bool allowLarge) =>
            from length in allowLarge
                ? Gen.Frequency((12, Gen.Choose(0, 24)), (4, Gen.Choose(25, 600)), (1, Gen.Choose(3000, 20000)))
                : Gen.Frequency((12, Gen.Choose(0, 24)), (2, Gen.Choose(25, 200)))
            from seed in Gen.Choose(0, int.MaxValue)
            from flavour in Gen.Elements(ByteFlavour.Random, ByteFlavour.Protocol, ByteFlavour.Text)
            select Bytes(length, seed, flavour);

        private enum ByteFlavour
        {
            Random,
            Protocol,
            Text,
        }

        private static byte[] Bytes(int length, int seed, ByteFlavour flavour)
        {
            var random = new Random(seed);
            var bytes = new byte[length];
            const string protocolBytes = "\r\n*$0123456789-\0 \"'\\";
            for (var i = 0; i < length; i++)
            {
                bytes[i] = flavour switch
                {
                    ByteFlavour.Protocol => (byte)protocolBytes[random.Next(protocolBytes.Length)],
                    ByteFlavour.Text => (byte)WordCharacters[random.Next(WordCharacters.Length)],
                    _ => (byte)random.Next(256),
                };
            }

            return bytes;
        }

        private static Gen<(byte[] Wire, byte[][]? Command)> Inline() =>
            from name in Word()
            from count in Gen.Choose(0, 5)
            from tokens in Token().ArrayOf(count)
            from separators in Gen.Elements(" ", "  ", "\t", " \t ").ArrayOf(count)
            from leading in Gen.Elements("", " ", "\t")
            from ending in Gen.Elements("\r\n", "\n")
            select EncodeInline(name, tokens, separators, leading, ending);

        private static (byte[] Wire, byte[][]? Command) EncodeInline(
            (string Text, byte[] Value) name, (string Text, byte[] Value)[] tokens, string[] separators, string leading, string ending)
        {
            var line = new StringBuilder(leading).Append(name.Text);
            var values = new List<byte[]> { name.Value };
            for (var i = 0; i < tokens.Length; i++)
            {
                line.Append(separators[i]).Append(tokens[i].Text);
                values.Add(tokens[i].Value);
            }

            return (Encoding.Latin1.GetBytes(line.Append(ending).ToString()), [.. values]);
        }

        private static Gen<(string Text, byte[] Value)> Token() => Gen.Frequency(
            (4, Word()),
            (3, DoubleQuoted()),
            (2, SingleQuoted()));

        // An unquoted word; the first character is a letter, so a line never starts with '*'.
        private static Gen<(string Text, byte[] Value)> Word() =>
            from first in Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray())
            from rest in Gen.Elements(WordCharacters.ToCharArray()).ArrayOf()
            let text = first + new string(rest)
            select (text, Encoding.Latin1.GetBytes(text));

        // "..." with any bytes, written plainly or as \xHH, \n-style and \-escapes.
        private static Gen<(string Text, byte[] Value)> DoubleQuoted() =>
            from length in Gen.Choose(0, 30)
            from content in Gen.Choose(0, 255).ArrayOf(length)
            from styles in Gen.Choose(0, 3).ArrayOf(length)
            select EncodeDoubleQuoted(content, styles);

        private static (string Text, byte[] Value) EncodeDoubleQuoted(int[] content, int[] styles)
        {
            var text = new StringBuilder("\"");
            for (var i = 0; i < content.Length; i++)
            {
                var b = (byte)content[i];
                var plain = b is >= 0x20 and not (byte)'"' and not (byte)'\\' and not 0x7f;
                var letter = b switch
                {
                    (byte)'\n' => "\\n",
                    (byte)'\r' => "\\r",
                    (byte)'\t' => "\\t",
                    (byte)'\b' => "\\b",
                    (byte)'\a' => "\\a",
                    (byte)'"' => "\\\"",
                    (byte)'\\' => "\\\\",
                    _ => null,
                };
                text.Append(styles[i] switch
                {
                    0 when plain => ((char)b).ToString(),
                    1 => string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
                    2 => string.Create(CultureInfo.InvariantCulture, $"\\x{b:X2}"),
                    _ => letter ?? string.Create(CultureInfo.InvariantCulture, $"\\x{b:x2}"),
                });
            }

            return (text.Append('"').ToString(), content.Select(c => (byte)c).ToArray());
        }

        // '...' with any byte but NUL, CR, LF and backslash, and \' for a quote.
        private static Gen<(string Text, byte[] Value)> SingleQuoted() =>
            from content in Gen.Choose(1, 255).Where(c => c is not '\r' and not '\n' and not '\\').ArrayOf()
            select (
                "'" + string.Concat(content.Select(c => c == '\'' ? "\\'" : ((char)c).ToString())) + "'",
                content.Select(c => (byte)c).ToArray());
    }
}
