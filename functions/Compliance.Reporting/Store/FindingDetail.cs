using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>
/// What a finding says beyond its rule and resource: its reason (unless it is the rule's pass
/// reason), its message, its evidence and its suppression. Stored only when there is any.
/// </summary>
public sealed record FindingDetail
{
    public string? Reason { get; init; }

    /// <summary>The finding's rendered message, when its rule has a template.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<EvidenceItem>? Evidence { get; init; }

    public string? SuppressionJustification { get; init; }

    public DateTimeOffset? SuppressionExpiresOn { get; init; }

    public string? SuppressionId { get; init; }

    public bool? SuppressionBroad { get; init; }
}
