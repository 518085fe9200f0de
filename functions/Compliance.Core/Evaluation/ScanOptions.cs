namespace Compliance.Core.Evaluation;

/// <summary>Options of one scan.</summary>
public sealed record ScanOptions
{
    /// <summary>
    /// The evaluation time of olderThan / newerThan. Default: the snapshot's collectedAt (the moment the
    /// scan read the tenant), else the scan clock's now.
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Whether passing findings carry the evidence of what held (auditors want it; a little slower).</summary>
    public bool PassEvidence { get; init; } = true;
}
