namespace Compliance.Core.Rules;

/// <summary>Where something came from in a JSON file: file, 1-based line and column, and JSON path.</summary>
public sealed record SourceLocation(string File, int Line, int Column, string JsonPath)
{
    public override string ToString() => $"{File}:{Line}:{Column} {JsonPath}";
}
