using Platform.Grains.Matching;

namespace Platform.Api.Tests;

/// <summary>
/// GlobPattern against Redis's <c>stringmatchlen</c>. Every expectation of the case-sensitive
/// table was taken from redis-server 7.0.15 (<c>KEYS pattern</c> over a single key).
/// </summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*", "abc", true)]
    [InlineData("*", "", false)] // stringmatchlen itself: KEYS * short-cuts before matching
    [InlineData("**", "", false)]
    [InlineData("**", "a", true)]
    [InlineData("a**", "a", true)]
    [InlineData("a*", "a", true)]
    [InlineData("abc*", "abc", true)]
    [InlineData("*a", "ba", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abcd", false)]
    [InlineData("*?", "", false)]
    [InlineData("?*", "", false)]
    [InlineData("?", "", false)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h[ae]llo", "hello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[a-b]llo", "hcllo", false)]
    [InlineData("[z-a]", "m", true)] // reversed bounds are swapped
    [InlineData("[a]", "", false)]
    [InlineData("[a-]", "-", false)] // "a-]" is the range ']'..'a'
    [InlineData("[a-]", "a", true)]
    [InlineData("[-a]", "-", true)]
    [InlineData("[]a]", "a", false)] // "[]" is an empty set
    [InlineData("[]a]", "]", false)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\\a]", "a", true)]
    [InlineData("[a\\", "\\", true)] // a lone backslash at the end is literal
    [InlineData("[abc", "a", true)] // an unclosed class runs to the end of the pattern
    [InlineData("[abc", "b", true)]
    [InlineData("[abc", "d", false)]
    [InlineData("[abc", "ab", false)]
    [InlineData("[", "x", false)]
    [InlineData("[^", "x", true)]
    [InlineData("[^]", "a", true)]
    [InlineData("*[", "a", false)]
    [InlineData("a[", "a[", false)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("\\a", "a", true)]
    [InlineData("\\", "\\", true)]
    [InlineData("a\\", "a\\", true)]
    [InlineData("HELLO", "hello", false)]
    public void Matches_like_stringmatchlen(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text)));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("b", false)]
    [InlineData("\u0080", false)]
    [InlineData("\u00ff", true)] // the bound itself
    public void Range_bounds_compare_as_signed_chars(string text, bool expected)
    {
        // In "[a-\xff]", \xff is -1 as a signed char: the range is -1..'a', which holds '0' but not 'b' or \x80 (-128).
        Assert.Equal(expected, GlobPattern.IsMatch("[a-\xff]"u8.ToArray(), Encoding.Latin1.GetBytes(text)));
    }

    [Theory]
    [InlineData("HELLO", "hello", true)]
    [InlineData("h*LLO", "HeLlo", true)]
    [InlineData("[A-C]", "b", true)]
    [InlineData("[a-c]", "B", true)]
    [InlineData("h[^E]llo", "hello", false)]
    [InlineData("H[AE]LLO", "hallo", true)]
    [InlineData("hello", "hellp", false)]
    public void Ignores_ascii_case_when_asked(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, GlobPattern.IsMatch(Encoding.Latin1.GetBytes(pattern), Encoding.Latin1.GetBytes(text), ignoreCase: true));
    }

    [Fact]
    public void Many_stars_that_cannot_match_fail_fast()
    {
        // Without Redis's skipLongerMatches this is exponential.
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a*", 40)) + "b");
        var text = Encoding.ASCII.GetBytes(new string('a', 5000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(GlobPattern.IsMatch(pattern, text));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    [InlineData(5000, false)]
    public void Nesting_of_stars_is_cut_off_at_1000(int stars, bool expected)
    {
        // Redis gives up past 1000 nested stars (redis-server 7.0.15: KEYS of "*a" x 1000 finds a
        // key of 1200 a's, x 1001 does not), which also keeps the stack from overflowing.
        var pattern = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*a", stars)));
        var text = Encoding.ASCII.GetBytes(new string('a', stars + 200));
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, text));
    }

    [Fact]
    public void Binary_bytes_match_literally()
    {
        Assert.True(GlobPattern.IsMatch("a\0*\r\n"u8, "a\0xyz\r\n"u8));
        Assert.False(GlobPattern.IsMatch("a\0*"u8, "a"u8));
    }
}
