using System.Text.Json;
using System.Text.Unicode;

namespace Platform.Api.Http.Json;

/// <summary>
/// Redis names and payloads are bytes; JSON strings are text. The rule of this API: a byte string
/// <c>x</c> is given as the JSON string <c>x</c> when its bytes are valid UTF-8, and otherwise as
/// <c>xBase64</c> (standard base64), never both. Clients send either form.
/// </summary>
internal static class ByteText
{
    /// <summary>Writes <paramref name="value"/> as <paramref name="name"/> (UTF-8) or <paramref name="base64Name"/>.</summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, JsonEncodedText base64Name, ReadOnlySpan<byte> value)
    {
        if (Utf8.IsValid(value))
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteBase64String(base64Name, value);
        }
    }

    /// <summary>The text of <paramref name="value"/>, or null when it is not valid UTF-8.</summary>
    public static string? TextOrNull(ReadOnlySpan<byte> value) => Utf8.IsValid(value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The base64 of <paramref name="value"/> when it is not valid UTF-8, else null.</summary>
    public static string? Base64OrNull(ReadOnlySpan<byte> value) => Utf8.IsValid(value) ? null : Convert.ToBase64String(value);

    /// <summary>
    /// The bytes a client gave as text or as base64 (exactly one of them); false with the reason
    /// otherwise. <paramref name="name"/> names the field in the reason.
    /// </summary>
    public static bool TryRead(string? text, string? base64, string name, out byte[] value, out string error)
    {
        value = [];
        error = "";
        if ((text is null) == (base64 is null))
        {
            error = $"ERR give exactly one of '{name}' (UTF-8 text) and '{name}Base64'";
            return false;
        }

        if (text is not null)
        {
            value = Encoding.UTF8.GetBytes(text);
            return true;
        }

        return TryDecode(base64!, name + "Base64", out value, out error);
    }

    /// <summary>Decodes base64, or gives the reason it is not.</summary>
    public static bool TryDecode(string base64, string name, out byte[] value, out string error)
    {
        try
        {
            value = Convert.FromBase64String(base64);
            error = "";
            return true;
        }
        catch (FormatException)
        {
            value = [];
            error = $"ERR '{name}' is not valid base64";
            return false;
        }
    }
}
