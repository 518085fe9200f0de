namespace Compliance.Core.Rules;

/// <summary>Rule packs (or parameter overrides) that are not valid; carries every diagnostic.</summary>
public sealed class RuleValidationException : Exception
{
    public RuleValidationException(IReadOnlyList<RuleDiagnostic> diagnostics)
        : base(Format(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public RuleValidationException()
        : this([])
    {
    }

    public RuleValidationException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    public RuleValidationException(string message, Exception inner)
        : base(message, inner)
    {
        Diagnostics = [];
    }

    public IReadOnlyList<RuleDiagnostic> Diagnostics { get; }

    private static string Format(IReadOnlyList<RuleDiagnostic> diagnostics) =>
        diagnostics.Count == 0
            ? "The rule packs are not valid."
            : $"{diagnostics.Count} problem(s) in the rule packs:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}";
}
