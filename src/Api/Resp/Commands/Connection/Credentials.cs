using System.Security.Cryptography;
using Platform.Api.Configuration;

namespace Platform.Api.Resp.Commands.Connection;

/// <summary>
/// Checks a user name and password against the one user there is, "default", whose password is
/// requirepass (none: any password is accepted, as Redis's nopass).
/// </summary>
internal static class Credentials
{
    /// <summary>Whether the pair authenticates.</summary>
    public static bool Check(ServerConfig config, ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        if (!user.SequenceEqual("default"u8))
        {
            return false;
        }

        var expected = config.RequirePass;
        return expected.Length == 0
            || CryptographicOperations.FixedTimeEquals(password, Encoding.UTF8.GetBytes(expected));
    }
}
