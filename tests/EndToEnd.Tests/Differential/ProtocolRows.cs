namespace Platform.EndToEnd.Tests.Differential;

/// <summary>The theory rows of a table of named cases: every case in each of the protocols.</summary>
internal static class ProtocolRows
{
    public static TheoryData<string, int> Of(IEnumerable<string> names, int[] protocols)
    {
        var rows = new TheoryData<string, int>();
        foreach (var name in names)
        {
            foreach (var protocol in protocols)
            {
                rows.Add(name, protocol);
            }
        }

        return rows;
    }
}
