namespace Platform.Grains.Matching;

/// <summary>
/// Glob matching identical to Redis's <c>stringmatchlen</c>: <c>*</c>, <c>?</c>, <c>[abc]</c>,
/// <c>[^a-z]</c>, <c>\</c> escapes, with its quirks kept (an unclosed <c>[</c> matches to the end
/// of the pattern, range bounds compare as signed chars, nesting is limited against abuse).
/// </summary>
public static class GlobPattern
{
    private const int MaxNesting = 1000;

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase = false)
    {
        var skipLongerMatches = false;
        return Match(pattern, text, ignoreCase, ref skipLongerMatches, 0);
    }

    private static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text, bool ignoreCase, ref bool skipLongerMatches, int nesting)
    {
        if (nesting > MaxNesting)
        {
            return false;
        }

        var p = 0;
        var s = 0;
        while (p < pattern.Length && s < text.Length)
        {
            switch (pattern[p])
            {
                case (byte)'*':
                    while (p + 1 < pattern.Length && pattern[p + 1] == (byte)'*')
                    {
                        p++;
                    }

                    if (p + 1 == pattern.Length)
                    {
                        return true;
                    }

                    while (s < text.Length)
                    {
                        if (Match(pattern[(p + 1)..], text[s..], ignoreCase, ref skipLongerMatches, nesting + 1))
                        {
                            return true;
                        }

                        if (skipLongerMatches)
                        {
                            return false;
                        }

                        s++;
                    }

                    // No match for the rest of the pattern from anywhere in the rest of the
                    // text: longer matches of earlier stars cannot help either.
                    skipLongerMatches = true;
                    return false;

                case (byte)'?':
                    s++;
                    break;

                case (byte)'[':
                    {
                        p++;
                        var negate = At(pattern, p) == (byte)'^';
                        if (negate)
                        {
                            p++;
                        }

                        var matched = false;
                        while (true)
                        {
                            if (At(pattern, p) == (byte)'\\' && pattern.Length - p >= 2)
                            {
                                p++;
                                matched |= pattern[p] == text[s];
                            }
                            else if (At(pattern, p) == (byte)']')
                            {
                                break;
                            }
                            else if (p == pattern.Length)
                            {
                                p--;
                                break;
                            }
                            else if (pattern.Length - p >= 3 && pattern[p + 1] == (byte)'-')
                            {
                                // char is signed in Redis's build: bytes above 0x7f compare as negative.
                                int start = (sbyte)pattern[p], end = (sbyte)pattern[p + 2], c = (sbyte)text[s];
                                if (start > end)
                                {
                                    (start, end) = (end, start);
                                }

                                if (ignoreCase)
                                {
                                    start = Lower(start);
                                    end = Lower(end);
                                    c = Lower(c);
                                }

                                p += 2;
                                matched |= c >= start && c <= end;
                            }
                            else
                            {
                                matched |= ignoreCase ? Lower(pattern[p]) == Lower(text[s]) : pattern[p] == text[s];
                            }

                            p++;
                        }

                        if (negate)
                        {
                            matched = !matched;
                        }

                        if (!matched)
                        {
                            return false;
                        }

                        s++;
                        break;
                    }

                case (byte)'\\':
                    if (pattern.Length - p >= 2)
                    {
                        p++;
                    }

                    if (!Same(pattern[p], text[s], ignoreCase))
                    {
                        return false;
                    }

                    s++;
                    break;

                default:
                    if (!Same(pattern[p], text[s], ignoreCase))
                    {
                        return false;
                    }

                    s++;
                    break;
            }

            p++;
            if (s == text.Length)
            {
                while (At(pattern, p) == (byte)'*')
                {
                    p++;
                }

                break;
            }
        }

        return p >= pattern.Length && s == text.Length;
    }

    // Past its end the pattern reads as the NUL that ends a C string.
    private static byte At(ReadOnlySpan<byte> pattern, int index) => index < pattern.Length ? pattern[index] : (byte)0;

    private static bool Same(byte a, byte b, bool ignoreCase) => ignoreCase ? Lower(a) == Lower(b) : a == b;

    private static int Lower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;
}
