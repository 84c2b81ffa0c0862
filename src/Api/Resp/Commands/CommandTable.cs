using System.Collections.Frozen;
using System.Text.Json;
using Platform.Api.Resp.Commands.Metadata;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands;

/// <summary>
/// Every command the RESP port answers: Redis's metadata (commands.json) joined with the
/// implementations of <see cref="CommandCatalog"/>. Looked up by the name bytes a client sent,
/// case-insensitively, without allocating.
/// </summary>
internal sealed class CommandTable
{
    // Longer names cannot be commands; they are not even widened to look them up.
    private const int MaxNameLength = 64;

    private readonly FrozenDictionary<string, CommandDefinition> _commands;
    private readonly FrozenDictionary<string, CommandDefinition>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<CommandDefinition, FrozenDictionary<string, CommandDefinition>.AlternateLookup<ReadOnlySpan<char>>> _subcommandLookups = [];

    private CommandTable(IEnumerable<CommandDefinition> commands)
    {
        _commands = commands.ToFrozenDictionary(c => c.FullName, StringComparer.OrdinalIgnoreCase);
        _lookup = _commands.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var command in _commands.Values.Where(c => c.Subcommands.Count > 0))
        {
            var subcommands = command.Subcommands.ToFrozenDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
            _subcommandLookups[command] = subcommands.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        All = [.. _commands.Values.OrderBy(c => c.FullName, StringComparer.Ordinal)];
    }

    /// <summary>Top-level commands, by name.</summary>
    public IReadOnlyList<CommandDefinition> All { get; }

    /// <summary>Top-level commands and subcommands, as COMMAND LIST names them.</summary>
    public IEnumerable<CommandDefinition> AllWithSubcommands => All.SelectMany(c => c.Subcommands.Prepend(c));

    /// <summary>
    /// Builds the table from the embedded metadata and <paramref name="handlers"/> (full name →
    /// implementation). Throws when a command has metadata but no implementation or the reverse,
    /// so the table and the code cannot drift apart.
    /// </summary>
    public static CommandTable Create(IReadOnlyDictionary<string, RespCommand> handlers)
    {
        using var stream = typeof(CommandTable).Assembly.GetManifestResourceStream("commands.json")
            ?? throw new InvalidOperationException("The command metadata resource is missing.");
        using var document = JsonDocument.Parse(stream);

        var used = new HashSet<string>(StringComparer.Ordinal);
        var commands = new List<CommandDefinition>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            commands.Add(Build(entry.Name, entry.Value.Clone(), docs: entry.Value.GetProperty("docs").Clone(), handlers, used));
        }

        var unknown = handlers.Keys.Where(name => !used.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Commands without metadata in commands.json: {string.Join(", ", unknown)}.");
        }

        var table = new CommandTable(commands);
        foreach (var command in table.All)
        {
            Encode(command);
        }

        return table;
    }

    /// <summary>Finds a top-level command by the name a client sent.</summary>
    public CommandDefinition? Find(ReadOnlySpan<byte> name) => Find(_lookup, name);

    /// <summary>Finds a top-level command by name.</summary>
    public CommandDefinition? Find(string name) => _commands.GetValueOrDefault(name);

    /// <summary>Finds a subcommand of <paramref name="container"/> by the name a client sent.</summary>
    public CommandDefinition? FindSubcommand(CommandDefinition container, ReadOnlySpan<byte> name) =>
        _subcommandLookups.TryGetValue(container, out var lookup) ? Find(lookup, name) : null;

    /// <summary>Finds a command or, with a '|', a subcommand ("client|kill"), by name.</summary>
    public CommandDefinition? FindByFullName(string fullName)
    {
        var bar = fullName.IndexOf('|');
        if (bar < 0)
        {
            return Find(fullName);
        }

        var container = Find(fullName[..bar]);
        return container?.Subcommands.FirstOrDefault(s => s.Name.Equals(fullName[(bar + 1)..], StringComparison.OrdinalIgnoreCase));
    }

    private static CommandDefinition? Find(
        FrozenDictionary<string, CommandDefinition>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<byte> name)
    {
        if (name.Length > MaxNameLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i];
        }

        return lookup.TryGetValue(chars, out var command) ? command : null;
    }

    private static CommandDefinition Build(
        string fullName, JsonElement metadata, JsonElement? docs, IReadOnlyDictionary<string, RespCommand> handlers, HashSet<string> used)
    {
        var subcommands = new List<CommandDefinition>();
        if (metadata.TryGetProperty("subcommands", out var subs))
        {
            foreach (var sub in subs.EnumerateObject())
            {
                JsonElement? subDocs = docs?.TryGetProperty("subcommands", out var all) == true && all.TryGetProperty(sub.Name, out var d)
                    ? d
                    : null;
                subcommands.Add(Build(sub.Name, sub.Value, subDocs, handlers, used));
            }
        }

        var handler = handlers.GetValueOrDefault(fullName);
        if (handler is null && subcommands.Count == 0)
        {
            throw new InvalidOperationException($"Command '{fullName}' has metadata but no implementation.");
        }

        used.Add(fullName);
        return new CommandDefinition(fullName, metadata, docs, handler, subcommands);
    }

    private static void Encode(CommandDefinition command)
    {
        foreach (var protocol in (ReadOnlySpan<int>)[2, 3])
        {
            var info = new ReplyWriter(NoErrors.Instance) { Protocol = protocol };
            MetadataEncoder.WriteInfo(info, command);
            var docs = new ReplyWriter(NoErrors.Instance) { Protocol = protocol };
            if (command.Docs is { } value)
            {
                MetadataEncoder.WriteDocs(docs, value);
            }

            command.SetEncoded(protocol, info.Written.ToArray(), docs.Written.ToArray());
        }

        foreach (var subcommand in command.Subcommands)
        {
            Encode(subcommand);
        }
    }

    private sealed class NoErrors : IErrorReplyObserver
    {
        public static readonly NoErrors Instance = new();

        public void OnErrorReply(ReadOnlySpan<byte> text)
        {
        }
    }
}
