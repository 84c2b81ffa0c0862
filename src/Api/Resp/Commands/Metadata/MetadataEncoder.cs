using System.Text.Json;
using Platform.Api.Resp.Protocol;

namespace Platform.Api.Resp.Commands.Metadata;

/// <summary>
/// Turns a command's metadata (commands.json, read from the reference Redis) into the exact
/// replies of COMMAND INFO and COMMAND DOCS. JSON carries no RESP types, so the type of each
/// field is known by its name, as in Redis's reply code: flag lists are sets of simple strings,
/// tips, history and key specs are sets, objects are maps, strings are bulk, numbers integers.
/// </summary>
internal static class MetadataEncoder
{
    private static readonly HashSet<string> SimpleStringSets = ["flags", "doc_flags", "acl_categories"];
    private static readonly HashSet<string> Sets = ["tips", "history", "key_specs"];

    /// <summary>The COMMAND INFO entry of <paramref name="command"/> and its subcommands.</summary>
    public static void WriteInfo(ReplyWriter writer, CommandDefinition command)
    {
        var info = command.Metadata;
        writer.WriteArrayHeader(10);
        writer.WriteBulk(command.FullName);
        writer.WriteInteger(command.Arity);
        WriteValue(writer, info.GetProperty("flags"), "flags");
        writer.WriteInteger(info.GetProperty("first_key").GetInt32());
        writer.WriteInteger(info.GetProperty("last_key").GetInt32());
        writer.WriteInteger(info.GetProperty("step").GetInt32());
        WriteValue(writer, info.GetProperty("acl_categories"), "acl_categories");
        WriteValue(writer, info.GetProperty("tips"), "tips");
        WriteValue(writer, info.GetProperty("key_specs"), "key_specs");
        if (command.Subcommands.Count == 0)
        {
            writer.WriteSetHeader(0);
            return;
        }

        writer.WriteArrayHeader(command.Subcommands.Count);
        foreach (var subcommand in command.Subcommands)
        {
            WriteInfo(writer, subcommand);
        }
    }

    /// <summary>The COMMAND DOCS map value of a command (its docs object).</summary>
    public static void WriteDocs(ReplyWriter writer, JsonElement docs) => WriteValue(writer, docs, null);

    private static void WriteValue(ReplyWriter writer, JsonElement value, string? name)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var unused in value.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in value.EnumerateObject())
                {
                    writer.WriteBulk(property.Name);
                    WriteValue(writer, property.Value, property.Name);
                }

                break;

            case JsonValueKind.Array:
                var length = value.GetArrayLength();
                if (name is not null && SimpleStringSets.Contains(name))
                {
                    writer.WriteSetHeader(length);
                    foreach (var item in value.EnumerateArray())
                    {
                        writer.WriteSimpleString(System.Text.Encoding.UTF8.GetBytes(item.GetString()!));
                    }

                    break;
                }

                if (name is not null && Sets.Contains(name))
                {
                    writer.WriteSetHeader(length);
                }
                else
                {
                    writer.WriteArrayHeader(length);
                }

                foreach (var item in value.EnumerateArray())
                {
                    WriteValue(writer, item, null);
                }

                break;

            case JsonValueKind.String:
                writer.WriteBulk(value.GetString()!);
                break;

            case JsonValueKind.Number:
                writer.WriteInteger(value.GetInt64());
                break;

            default:
                throw new InvalidDataException($"Unexpected {value.ValueKind} in command metadata ('{name}').");
        }
    }
}
