using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>The light form of a stored finding: what the history and the counts need.</summary>
public sealed record FindingKey(
    string FindingId,
    string RuleId,
    string PackId,
    string ResourceId,
    string ScopeId,
    Outcome Outcome,
    Severity Severity,
    HistoryStatus? Status,
    bool Carried);
