namespace Compliance.Core.Rules;

/// <summary>One problem found in a rule pack, with the place it is and what is expected instead.</summary>
public sealed record RuleDiagnostic(SourceLocation Location, string Message)
{
    /// <summary>Compiler-style text: "rules/x.json:12:7: $.rules[0].severity: 'hgh' is not one of …".</summary>
    public override string ToString() =>
        $"{Location.File}:{Location.Line}:{Location.Column}: {Location.JsonPath}: {Message}";
}
