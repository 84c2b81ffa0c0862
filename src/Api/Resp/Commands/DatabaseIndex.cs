using Platform.Api.Resp.Connections;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands;

/// <summary>A database index argument (SELECT, MOVE, COPY's DB), checked with Redis's errors.</summary>
internal static class DatabaseIndex
{
    /// <summary>
    /// Parses <paramref name="text"/> as a database index, or answers the error: Redis reads an
    /// int, and a number beyond one has its own error.
    /// </summary>
    public static bool TryParse(RespSession session, ReadOnlySpan<byte> text, out int database)
    {
        database = 0;
        if (!RedisNumbers.TryParseInt64(text, out var wide))
        {
            session.Reply.WriteError(Errors.NotInteger);
            return false;
        }

        if (wide is < int.MinValue or > int.MaxValue)
        {
            session.Reply.WriteError(Errors.NotInt32);
            return false;
        }

        if (wide < 0 || wide >= session.Server.Config.Databases)
        {
            session.Reply.WriteError(Errors.DbIndexOutOfRange);
            return false;
        }

        database = (int)wide;
        return true;
    }
}
