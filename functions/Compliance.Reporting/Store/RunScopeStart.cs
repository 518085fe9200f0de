namespace Compliance.Reporting.Store;

/// <summary>A scope a run expects to read: "/subscriptions/{id}" or "/tenants/{tenantId}".</summary>
public sealed record RunScopeStart(string Id, string? DisplayName = null);
