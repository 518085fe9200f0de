namespace Compliance.Reporting.Store;

/// <summary>One page of findings; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record FindingPage(IReadOnlyList<StoredFinding> Findings, string? ContinuationToken);
