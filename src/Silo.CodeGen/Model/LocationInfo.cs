using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Platform.Silo.CodeGen.Model;

/// <summary>A source location held by value (a <see cref="Location"/> would keep its syntax tree alive).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true, SourceTree: not null }
            ? new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span)
            : null;
}
