using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors;

/// <summary>What a collection read: every scope with its status, and what it cost.</summary>
/// <param name="TenantId">The tenant, when known (configuration, subscriptions or the directory).</param>
/// <param name="Scopes">Each subscription and the directory, "ok" or "error" with a message a person can act on.</param>
/// <param name="ResourceCount">Resources written to the snapshot.</param>
/// <param name="Statistics">Requests per service, retries and throttling.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Warnings">Things worth knowing that did not make a scope incomplete.</param>
public sealed record CollectionResult(
    string? TenantId,
    IReadOnlyList<SnapshotScope> Scopes,
    long ResourceCount,
    CollectionStatistics Statistics,
    TimeSpan Elapsed,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Whether every scope was read completely.</summary>
    public bool IsComplete => Scopes.All(s => !s.IsError);
}
