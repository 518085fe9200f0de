namespace Compliance.Reporting.Store;

/// <summary>A scope of a run and how its collection went.</summary>
public sealed record RunScope(string Id, string? DisplayName, ScopeStatus Status, string? Error = null, DateTimeOffset? CompletedAt = null);
