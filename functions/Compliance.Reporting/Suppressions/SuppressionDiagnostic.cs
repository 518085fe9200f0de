using Compliance.Core.Rules;

namespace Compliance.Reporting.Suppressions;

/// <summary>One problem in a suppressions file, with file, line, column and JSON path.</summary>
public sealed record SuppressionDiagnostic(SourceLocation Location, string Message)
{
    /// <summary>"suppressions.json:12:7: $.suppressions[1].expiresOn: …".</summary>
    public override string ToString() =>
        Location.Line > 0
            ? $"{Location.File}:{Location.Line}:{Location.Column}: {Location.JsonPath}: {Message}"
            : $"{Location.File}: {Location.JsonPath}: {Message}";
}
