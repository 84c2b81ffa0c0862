using Platform.Grains;
using Platform.Grains.Keyspace;
using Platform.Grains.Streams;
using Platform.Silo;

namespace Platform.Api.Http.Streams;

/// <summary>
/// Which stream a request is about: its name from the route and its database from <c>?db=</c>
/// (0 by default; checked against <c>databases</c> by <see cref="StreamAccessFilter"/>). Handlers
/// take the two as plain parameters and build this: an [AsParameters] record's parameters cannot
/// carry descriptions (dotnet/aspnetcore#65348) and would be named by their properties in OpenAPI.
/// </summary>
/// <param name="Key">The stream's name, UTF-8 (a '/' in it is sent as %2F).</param>
/// <param name="Db">The database, as SELECT numbers them.</param>
internal readonly record struct StreamAddress(string Key, int? Db)
{
    /// <summary>The database.</summary>
    public int Database => Db ?? 0;

    /// <summary>The stream's name as the RESP port sees it (decoded).</summary>
    public string Name => RouteNames.Decode(Key);

    /// <summary>The stream's name as a grain key (its UTF-8 bytes, one char per byte).</summary>
    public string GrainName => GrainKeys.FromText(Name);

    /// <summary>The stream's grain.</summary>
    public IStreamGrain Grain(IGrainFactory grains) => grains.GetGrain<IStreamGrain>(StreamKeys.Of(Database, GrainName));
}

/// <summary>Names taken from a route segment.</summary>
internal static class RouteNames
{
    /// <summary>
    /// The name a segment stands for: ASP.NET decodes every escape of a path but %2F (so that a
    /// decoded '/' cannot change the route); here it becomes the '/' it stands for.
    /// </summary>
    public static string Decode(string segment) =>
        segment.Contains('%', StringComparison.Ordinal)
            ? segment.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            : segment;
}
