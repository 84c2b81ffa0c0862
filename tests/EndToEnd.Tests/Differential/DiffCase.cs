using System.Text.RegularExpressions;
using Platform.EndToEnd.Tests.Infrastructure;

namespace Platform.EndToEnd.Tests.Differential;

/// <summary>What a differential case expects the connection to do after its bytes are sent.</summary>
public enum Outcome
{
    /// <summary>Reply and stay open: replies are read up to a sentinel command sent after the case.</summary>
    Replies,

    /// <summary>Reply (or not) and close: everything is read until the server closes.</summary>
    Closes,

    /// <summary>Say nothing and stay open (a request that never completes): what arrives in 500 ms.</summary>
    Silent,
}

/// <summary>How the replies of ours and Redis's are compared.</summary>
public enum Comparison
{
    /// <summary>Byte for byte.</summary>
    Exact,

    /// <summary>Rendered (<see cref="RespFrame.RenderAll"/>), with the case's mask applied to both.</summary>
    Masked,

    /// <summary>Types and counts only: the scalars' content legitimately differs (times, ids).</summary>
    Shape,
}

/// <summary>
/// One differential case: bytes to send to both servers (each on a fresh connection) and how to
/// compare what comes back. <see cref="Send"/> is text with one char per byte (Latin-1).
/// <c>{id}</c> in it is replaced by the connection's CLIENT ID.
/// </summary>
public sealed record DiffCase(
    string Name,
    string Send,
    Outcome Outcome = Outcome.Replies,
    Comparison Comparison = Comparison.Exact,
    Func<string, string>? Mask = null,
    string? Restore = null)
{
    /// <summary>Identical bytes expected.</summary>
    public static DiffCase Same(string name, string send, string? restore = null) => new(name, send, Restore: restore);

    /// <summary>Identical after masking what legitimately differs.</summary>
    public static DiffCase Masked(string name, string send, Func<string, string> mask) =>
        new(name, send, Comparison: Comparison.Masked, Mask: mask);

    /// <summary>Identical structure; scalar content not compared.</summary>
    public static DiffCase Shape(string name, string send) => new(name, send, Comparison: Comparison.Shape);

    /// <summary>Identical bytes, then the connection closed by both.</summary>
    public static DiffCase Closes(string name, string send, string? restore = null) =>
        new(name, send, Outcome.Closes, Restore: restore);

    /// <summary>Identical after masking, then closed by both.</summary>
    public static DiffCase MaskedCloses(string name, string send, Func<string, string> mask) =>
        new(name, send, Outcome.Closes, Comparison.Masked, mask);

    /// <summary>No reply from either, connection left open.</summary>
    public static DiffCase Silent(string name, string send) => new(name, send, Outcome.Silent);

    /// <summary>A multibulk request, as client libraries send commands.</summary>
    public static string C(params string[] args) => Resp.CommandText(args);

    /// <summary>The theory rows of a table: every case in each of the protocols.</summary>
    public static TheoryData<string, int> Rows(IEnumerable<DiffCase> cases, params int[] protocols) =>
        ProtocolRows.Of(cases.Select(c => c.Name), protocols);

    public override string ToString() => Name;
}

/// <summary>Masks for what legitimately differs between two servers, applied to rendered replies.</summary>
public static partial class Masks
{
    /// <summary>
    /// CLIENT LIST / CLIENT INFO: the connection's id, addresses, fd, times (age, idle) and the
    /// sizes of Redis's internal buffers (qbuf, qbuf-free, rbs, rbp, tot-mem) are masked; the
    /// lib-name and lib-ver fields, which ours prints as Redis 7.2 does (CLIENT SETINFO), are
    /// dropped: Redis 7.0 has neither.
    /// </summary>
    public static string ClientFields(string rendered) =>
        LibFields().Replace(ClientVolatileFields().Replace(rendered, "$1=…"), "");

    /// <summary>HELLO's "id" (the client id).</summary>
    public static string HelloId(string rendered) => HelloIdField().Replace(rendered, "$1…");

    /// <summary>HELLO's id, and CLIENT INFO's fields as <see cref="ClientFields"/>.</summary>
    public static string HelloAndClientFields(string rendered) => ClientFields(HelloId(rendered));

    /// <summary>Only CLIENT INFO's flags, in order (other fields differ inside EXEC: multi, cmd, memory).</summary>
    public static string ClientFlagsOnly(string rendered) => string.Join(" ", FlagsField().Matches(rendered).Select(m => m.Value));

    /// <summary>SLOWLOG GET's numbers (ids, times, durations) and client addresses.</summary>
    public static string SlowLogFields(string rendered) => LoopbackAddress().Replace(Integer().Replace(rendered, ":n"), "$\"127.0.0.1:…\"");

    /// <summary>INFO: only the section headers ("# Server") and their order are compared; fields are the server's own.</summary>
    public static string InfoSections(string rendered) => InfoField().Replace(rendered, "");

    /// <summary>
    /// A reply that is a map of names to values (CONFIG GET of several parameters): the pairs are
    /// compared in any order, as Redis lists them in the order of its hash table, which is seeded
    /// at random on each start.
    /// </summary>
    public static string UnorderedPairs(string rendered)
    {
        var match = Aggregate().Match(rendered);
        if (!match.Success)
        {
            return rendered;
        }

        var elements = match.Groups[3].Value.Split(", ");
        var pairs = elements.Chunk(2).Select(pair => string.Join(", ", pair)).Order(StringComparer.Ordinal);
        return $"{match.Groups[1].Value}{match.Groups[2].Value}[{string.Join(", ", pairs)}]";
    }

    [GeneratedRegex(@"^([*%])(\d+)\[(.*)\]$", RegexOptions.Singleline)]
    private static partial Regex Aggregate();

    // A field starts a line ("txt:" or an escaped \n before it) or follows a space.
    [GeneratedRegex(@"(?<=[ :""]|\\n)(id|addr|laddr|fd|age|idle|qbuf|qbuf-free|rbs|rbp|tot-mem)=[^ \\""]*")]
    private static partial Regex ClientVolatileFields();

    [GeneratedRegex(@" lib-name=[^ \\""]* lib-ver=[^ \\""]*")]
    private static partial Regex LibFields();

    [GeneratedRegex(@"flags=\w+")]
    private static partial Regex FlagsField();

    [GeneratedRegex(@":-?\d+")]
    private static partial Regex Integer();

    [GeneratedRegex(@"\$""127\.0\.0\.1:\d+""")]
    private static partial Regex LoopbackAddress();

    [GeneratedRegex(@"(\$""id"", :)\d+")]
    private static partial Regex HelloIdField();

    // A "field:value\r\n" line (rendered with escaped CR LF) right after the start of the string or another line.
    [GeneratedRegex(@"(?<=""|""txt:|\\r\\n)[^#\\""][^\\""]*\\r\\n")]
    private static partial Regex InfoField();
}
