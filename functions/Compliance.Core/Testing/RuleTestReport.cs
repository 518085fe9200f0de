namespace Compliance.Core.Testing;

/// <summary>Every fixture result of a <c>rules test</c> run.</summary>
public sealed record RuleTestReport(IReadOnlyList<RuleTestResult> Results)
{
    public int Passed => Results.Count(r => r.Passed);

    public int Failed => Results.Count(r => !r.Passed);
}
