namespace Platform.Api.Resp.Commands.Connection;

/// <summary>Redis's rule for client names and library attributes: printable ASCII, no spaces.</summary>
internal static class ClientNames
{
    /// <summary>Whether every byte is between '!' and '~'.</summary>
    public static bool IsValid(ReadOnlySpan<byte> name) => !name.ContainsAnyExceptInRange((byte)'!', (byte)'~');
}
