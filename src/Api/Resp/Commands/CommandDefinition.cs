using System.Text.Json;
using Platform.Api.Server;

namespace Platform.Api.Resp.Commands;

/// <summary>
/// A command (or a subcommand such as CLIENT KILL) as the server knows it: Redis's metadata,
/// its implementation, and its statistics.
/// </summary>
internal sealed class CommandDefinition
{
    // What a RESP2 client may run while subscribed (Redis's list, checked by implementation).
    private static readonly HashSet<string> SubscribedModeCommands =
        ["ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset"];

    // What MULTI does not queue but runs at once (Redis's processCommand exceptions).
    private static readonly HashSet<string> TransactionControlCommands = ["exec", "discard", "multi", "watch", "quit", "reset"];

    private readonly byte[][] _info = new byte[2][];
    private readonly byte[][] _docs = new byte[2][];

    public CommandDefinition(
        string fullName,
        JsonElement metadata,
        JsonElement? docs,
        RespCommand? handler,
        IReadOnlyList<CommandDefinition> subcommands)
    {
        FullName = fullName;
        Metadata = metadata;
        Docs = docs;
        Handler = handler;
        Subcommands = subcommands;
        Arity = metadata.GetProperty("arity").GetInt32();
        AclCategories = [.. metadata.GetProperty("acl_categories").EnumerateArray().Select(c => c.GetString()!)];
        Flags = ParseFlags(metadata.GetProperty("flags"));
        AllowedWhileSubscribed = SubscribedModeCommands.Contains(fullName);
        RunsInsideTransaction = TransactionControlCommands.Contains(fullName);
        IsWrite = (Flags & CommandFlags.Write) != 0;
        TouchesData = (Flags & (CommandFlags.Write | CommandFlags.ReadOnly)) != 0 || fullName == "exec";
        foreach (var subcommand in subcommands)
        {
            subcommand.Parent = this;
        }
    }

    /// <summary>Lower-case name, "client|kill" for a subcommand: Redis's fullname.</summary>
    public string FullName { get; }

    /// <summary>The name that follows the container for a subcommand ("kill"), else the full name.</summary>
    public string Name => Parent is null ? FullName : FullName[(Parent.FullName.Length + 1)..];

    /// <summary>Redis's arity: exact count when positive, minimum when negative (the name counts).</summary>
    public int Arity { get; }

    /// <summary>Behaviour flags.</summary>
    public CommandFlags Flags { get; }

    /// <summary>Whether a RESP2 client in subscribed mode may run it.</summary>
    public bool AllowedWhileSubscribed { get; }

    /// <summary>Whether it runs at once inside MULTI instead of being queued.</summary>
    public bool RunsInsideTransaction { get; }

    /// <summary>Whether it may change data (Redis's write flag).</summary>
    public bool IsWrite { get; }

    /// <summary>Whether it reads or writes data, so its reply must wait for the commit under appendfsync always.</summary>
    public bool TouchesData { get; }

    /// <summary>ACL categories ("@fast"), for COMMAND LIST FILTERBY ACLCAT.</summary>
    public IReadOnlyList<string> AclCategories { get; }

    /// <summary>The implementation; null for a pure container (CLIENT, CONFIG).</summary>
    public RespCommand? Handler { get; }

    /// <summary>Subcommands in Redis's order.</summary>
    public IReadOnlyList<CommandDefinition> Subcommands { get; }

    /// <summary>The container of a subcommand.</summary>
    public CommandDefinition? Parent { get; private set; }

    /// <summary>COMMAND INFO's raw metadata.</summary>
    public JsonElement Metadata { get; }

    /// <summary>COMMAND DOCS's raw docs.</summary>
    public JsonElement? Docs { get; }

    /// <summary>Figures for INFO commandstats.</summary>
    public CommandStats Stats { get; } = new();

    /// <summary>Whether <paramref name="argumentCount"/> (name included) satisfies the arity.</summary>
    public bool AcceptsArgumentCount(int argumentCount) =>
        Arity >= 0 ? argumentCount == Arity : argumentCount >= -Arity;

    /// <summary>The COMMAND INFO entry, encoded once per protocol.</summary>
    public ReadOnlySpan<byte> EncodedInfo(int protocol) => _info[protocol - 2];

    /// <summary>The COMMAND DOCS value, encoded once per protocol.</summary>
    public ReadOnlySpan<byte> EncodedDocs(int protocol) => _docs[protocol - 2];

    internal void SetEncoded(int protocol, byte[] info, byte[] docs)
    {
        _info[protocol - 2] = info;
        _docs[protocol - 2] = docs;
    }

    private static CommandFlags ParseFlags(JsonElement flags)
    {
        var result = CommandFlags.None;
        foreach (var flag in flags.EnumerateArray())
        {
            result |= flag.GetString() switch
            {
                "no_auth" => CommandFlags.NoAuth,
                "write" => CommandFlags.Write,
                "readonly" => CommandFlags.ReadOnly,
                "fast" => CommandFlags.Fast,
                "pubsub" => CommandFlags.PubSub,
                "no_multi" => CommandFlags.NoMulti,
                "skip_slowlog" => CommandFlags.SkipSlowlog,
                "admin" => CommandFlags.Admin,
                _ => CommandFlags.None,
            };
        }

        return result;
    }
}
