namespace Compliance.Reporting.Store;

/// <summary>A scope that finished: <see cref="ScopeStatus.Ok"/>, or <see cref="ScopeStatus.Error"/> with the reason.</summary>
public sealed record ScopeCompletion(string ScopeId, ScopeStatus Status, DateTimeOffset CompletedAt, string? Error = null, string? DisplayName = null);
