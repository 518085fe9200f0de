namespace Compliance.Core.Evaluation;

/// <summary>Options of one scan.</summary>
public sealed record ScanOptions
{
    /// <summary>
    /// The evaluation time of olderThan / newerThan. Default: the snapshot's collectedAt (the moment the
    /// scan read the tenant), else the scan clock's now.
    /// </summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>
    /// Whether passing findings carry the evidence of what held (each leaf's path, observed and
    /// expected value). Off by default: a pass's reason then names the secure state it meets, and a
    /// scan is much faster. Failing and error findings always carry their evidence.
    /// </summary>
    public bool PassEvidence { get; init; }
}
