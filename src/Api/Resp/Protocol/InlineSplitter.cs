namespace Platform.Api.Resp.Protocol;

/// <summary>
/// Splits an inline command line into arguments as Redis's <c>sdssplitargs</c> does: blanks
/// separate arguments; "double quotes" take \n \r \t \b \a \xHH and \-escapes; 'single quotes'
/// take only \'; a closing quote must be followed by a blank or the end of the line.
/// </summary>
internal static class InlineSplitter
{
    /// <summary>
    /// Writes the unescaped arguments of <paramref name="line"/> into <paramref name="arena"/>
    /// (at least as long as the line: unescaping never lengthens) and records them in
    /// <paramref name="args"/>. Returns false on unbalanced quotes.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, Span<byte> arena, CommandArguments args)
    {
        var p = 0;
        var written = 0;
        while (true)
        {
            while (p < line.Length && IsSpace(line[p]))
            {
                p++;
            }

            if (p == line.Length)
            {
                return true;
            }

            var start = written;
            var inDouble = false;
            var inSingle = false;
            var done = false;
            while (!done)
            {
                var c = At(line, p);
                if (inDouble)
                {
                    if (c == '\\' && At(line, p + 1) == 'x' && IsHex(At(line, p + 2)) && IsHex(At(line, p + 3)))
                    {
                        arena[written++] = (byte)((HexValue(At(line, p + 2)) * 16) + HexValue(At(line, p + 3)));
                        p += 3;
                    }
                    else if (c == '\\' && At(line, p + 1) != 0)
                    {
                        p++;
                        arena[written++] = At(line, p) switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        };
                    }
                    else if (c == '"')
                    {
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1)))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else if (c == 0)
                    {
                        return false;
                    }
                    else
                    {
                        arena[written++] = c;
                    }
                }
                else if (inSingle)
                {
                    if (c == '\\' && At(line, p + 1) == '\'')
                    {
                        p++;
                        arena[written++] = (byte)'\'';
                    }
                    else if (c == '\'')
                    {
                        if (At(line, p + 1) != 0 && !IsSpace(At(line, p + 1)))
                        {
                            return false;
                        }

                        done = true;
                    }
                    else if (c == 0)
                    {
                        return false;
                    }
                    else
                    {
                        arena[written++] = c;
                    }
                }
                else
                {
                    switch (c)
                    {
                        case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0:
                            done = true;
                            break;
                        case (byte)'"':
                            inDouble = true;
                            break;
                        case (byte)'\'':
                            inSingle = true;
                            break;
                        default:
                            arena[written++] = c;
                            break;
                    }
                }

                if (c != 0)
                {
                    p++;
                }
            }

            args.Add(start, written - start);
        }
    }

    // The line is a C string to sdssplitargs: reading past its end yields NUL.
    private static byte At(ReadOnlySpan<byte> line, int index) => index < line.Length ? line[index] : (byte)0;

    // C's isspace in the C locale.
    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte c) => char.IsAsciiHexDigit((char)c);

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
