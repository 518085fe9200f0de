using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>
/// The light form of a stored finding: what the history and the counts need.
/// <see cref="OrderKey"/> is where the store keeps it: every stream of a store (a run's findings,
/// its finding states) comes in ordinal order of this key, the same for the same finding in every
/// run, so that streams merge one finding at a time.
/// </summary>
public sealed record FindingKey(
    string FindingId,
    string RuleId,
    string PackId,
    string ResourceId,
    string ScopeId,
    Outcome Outcome,
    Severity Severity,
    HistoryStatus? Status,
    bool Carried,
    string OrderKey);
