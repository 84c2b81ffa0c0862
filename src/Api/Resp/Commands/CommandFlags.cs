namespace Platform.Api.Resp.Commands;

/// <summary>The flags of a command (COMMAND INFO's) that change how the server treats it.</summary>
[Flags]
internal enum CommandFlags
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Allowed before AUTH (AUTH, HELLO, QUIT, RESET).</summary>
    NoAuth = 1 << 0,

    /// <summary>Writes data.</summary>
    Write = 1 << 1,

    /// <summary>Only reads data.</summary>
    ReadOnly = 1 << 2,

    /// <summary>O(1) or O(log N).</summary>
    Fast = 1 << 3,

    /// <summary>Pub/Sub related.</summary>
    PubSub = 1 << 4,

    /// <summary>Refused inside MULTI (SAVE, SHUTDOWN).</summary>
    NoMulti = 1 << 5,

    /// <summary>Never in SLOWLOG (EXEC: the commands it runs are, one by one).</summary>
    SkipSlowlog = 1 << 6,

    /// <summary>An administrative command (CONFIG, CLIENT LIST, SAVE…): never shown to MONITOR's clients.</summary>
    Admin = 1 << 7,
}
