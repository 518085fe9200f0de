namespace Compliance.Reporting.Store;

/// <summary>
/// The counts of a finalised run: outcomes of the findings the run evaluated (carried findings
/// excluded) and history statuses of all its findings.
/// </summary>
public sealed record RunCounts
{
    public int Total { get; init; }

    public int Pass { get; init; }

    public int Fail { get; init; }

    public int Error { get; init; }

    public int Suppressed { get; init; }

    public int New { get; init; }

    public int Persisting { get; init; }

    public int Resolved { get; init; }

    public int Regressed { get; init; }

    /// <summary>Findings of the previous run carried into this one (resolved by absence, or not re-evaluated).</summary>
    public int Carried { get; init; }

    /// <summary>In a suspect run: the problems it would have resolved, and did not.</summary>
    public int Withheld { get; init; }
}
