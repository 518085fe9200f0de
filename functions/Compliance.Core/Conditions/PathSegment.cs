namespace Compliance.Core.Conditions;

/// <summary>One step of a field path: a property name, an index, or <c>[*]</c> (every element).</summary>
internal readonly record struct PathSegment(PathSegmentKind Kind, string? Name, int Index, byte[]? Utf8Name)
{
    public static PathSegment Property(string name) =>
        new(PathSegmentKind.Property, name, -1, System.Text.Encoding.UTF8.GetBytes(name));

    public static PathSegment Element(int index) => new(PathSegmentKind.Index, null, index, null);

    public static readonly PathSegment Wildcard = new(PathSegmentKind.Wildcard, null, -1, null);

    public bool SameAs(PathSegment other) =>
        Kind == other.Kind && Index == other.Index &&
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);
}

internal enum PathSegmentKind : byte
{
    Property,
    Index,
    Wildcard,
}
