using Platform.Api.Resp.Protocol;

namespace Platform.Api.Tests;

/// <summary>
/// RedisNumbers against Redis's <c>string2ll</c> and <c>memtoull</c>. The memory expectations
/// were taken from redis-server 7.0.15 through <c>CONFIG SET client-query-buffer-limit</c>.
/// </summary>
public sealed class RedisNumbersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1", 1L)]
    [InlineData("-1", -1L)]
    [InlineData("10", 10L)]
    [InlineData("1234567890", 1234567890L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775807", -long.MaxValue)]
    public void String2ll_accepts(string text, long expected)
    {
        Assert.True(RedisNumbers.TryParseInt64(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("-0")] // only a lone "0" may start with 0
    [InlineData("01")]
    [InlineData("00")]
    [InlineData("-01")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1\0")]
    [InlineData("1a")]
    [InlineData("0x10")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("--1")]
    [InlineData("9223372036854775808")] // LLONG_MAX + 1
    [InlineData("-9223372036854775809")] // LLONG_MIN - 1
    [InlineData("18446744073709551615")] // ULLONG_MAX
    [InlineData("18446744073709551616")] // ULLONG_MAX + 1
    [InlineData("99999999999999999999")] // 20 digits, overflows
    [InlineData("100000000000000000000")] // 21 digits
    [InlineData("000000000000000000001")] // 21 characters
    public void String2ll_rejects(string text)
    {
        Assert.False(RedisNumbers.TryParseInt64(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-7L)]
    [InlineData(1000000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Format_and_digit_count_round_trip(long value)
    {
        Span<byte> buffer = stackalloc byte[RedisNumbers.MaxInt64Length];
        var written = RedisNumbers.Format(value, buffer);
        Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer[..written]));
        Assert.Equal(written, RedisNumbers.DigitCount(value));
        Assert.True(RedisNumbers.TryParseInt64(buffer[..written], out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("1048576", 1048576UL)]
    [InlineData("01048576", 1048576UL)] // leading zeros are fine for strtoull
    [InlineData("1048576b", 1048576UL)]
    [InlineData("1048576B", 1048576UL)]
    [InlineData("1b", 1UL)]
    [InlineData("1k", 1000UL)]
    [InlineData("1kb", 1024UL)]
    [InlineData("1K", 1000UL)]
    [InlineData("1KB", 1024UL)]
    [InlineData("1m", 1000000UL)]
    [InlineData("1mb", 1048576UL)]
    [InlineData("1MB", 1048576UL)]
    [InlineData("1Mb", 1048576UL)]
    [InlineData("1g", 1000000000UL)]
    [InlineData("1gb", 1073741824UL)]
    [InlineData("512mb", 536870912UL)]
    [InlineData("", 0UL)] // no digits: strtoull gives 0 without an error
    [InlineData("mb", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Memtoull_accepts(string text, ulong expected)
    {
        Assert.True(RedisNumbers.TryParseMemory(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-1mb")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1 mb")]
    [InlineData("1.5mb")]
    [InlineData("1xb")]
    [InlineData("1t")]
    [InlineData("1tb")]
    [InlineData("1mbb")]
    [InlineData("0x10")]
    public void Memtoull_rejects(string text)
    {
        Assert.False(RedisNumbers.TryParseMemory(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Memtoull_rejects_128_digits_or_more()
    {
        Assert.False(RedisNumbers.TryParseMemory(Encoding.ASCII.GetBytes(new string('1', 128)), out _));
        Assert.False(RedisNumbers.TryParseMemory(Encoding.ASCII.GetBytes(new string('0', 200) + "1"), out _));
    }

    [Theory]
    [InlineData("18446744073709551616", ulong.MaxValue)] // strtoull saturates (ERANGE is not checked)
    [InlineData("99999999999999999999999", ulong.MaxValue)]
    [InlineData("17179869184gb", 0UL)] // 2^34 * 2^30 wraps to 0
    [InlineData("18014398509481984kb", 0UL)] // 2^54 * 2^10 wraps to 0
    public void Memtoull_overflow_is_not_a_parse_error(string text, ulong expected)
    {
        // redis-server 7.0.15 answers CONFIG SET client-query-buffer-limit <text> with "argument must be
        // between 1048576 and 9223372036854775807 inclusive", not "argument must be a memory value":
        // memtoull returned a number (strtoull's saturated value, or the wrapped product).
        Assert.True(RedisNumbers.TryParseMemory(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }
}
