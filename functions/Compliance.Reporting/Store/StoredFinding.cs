using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>A finding as a run holds it: the scope it came from and, once finalised, its history status.</summary>
/// <param name="Finding">The finding (outcome, evidence, suppression…).</param>
/// <param name="ScopeId">The scope whose collection produced it.</param>
/// <param name="Status">new / persisting / resolved / regressed, or null (passing, nothing changed); null before finalisation.</param>
/// <param name="Carried">
/// True when the run did not evaluate it: a problem of the previous run whose resource is gone
/// (resolved) or lies in a scope this run could not read (persisting, outcome error).
/// </param>
public sealed record StoredFinding(Finding Finding, string ScopeId, HistoryStatus? Status = null, bool Carried = false)
{
    /// <summary>What the run adds to the finding's JSON document (<see cref="FindingJson"/>): history status, scope, carried.</summary>
    public FindingContext Context => new(Status.ToWire(), ScopeId, Carried);
}
