using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>A problem of the previous run missing from this one: resolved (its scope was read) or not.</summary>
public sealed record CarryDecision(FindingKey Previous, bool Resolved, RunScope? Scope);
