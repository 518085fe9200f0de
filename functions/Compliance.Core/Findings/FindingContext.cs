namespace Compliance.Core.Findings;

/// <summary>
/// What a run adds to a finding when it is written out: its history status ("new", "persisting",
/// "resolved", "regressed"), the scope whose collection produced it, and whether it was carried from
/// the previous run rather than evaluated.
/// </summary>
public readonly record struct FindingContext(string? HistoryStatus = null, string? ScopeId = null, bool Carried = false);
