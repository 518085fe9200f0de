using Compliance.Core.Evaluation;

namespace Compliance.Reporting.Runs;

/// <summary>How a snapshot is recorded into a run.</summary>
public sealed record RecordOptions
{
    public ScanOptions Scan { get; init; } = new();

    /// <summary>
    /// Only this scope's findings are kept and only this scope is reported (the Functions app scans one
    /// scope per message; the directory objects a subscription's rules count belong to the directory).
    /// Null: every scope the snapshot lists or its findings show (the CLI).
    /// </summary>
    public string? OnlyScope { get; init; }

    /// <summary>The display name of <see cref="OnlyScope"/> when the snapshot does not give one.</summary>
    public string? ScopeDisplayName { get; init; }

    /// <summary>The SHA-256 of the snapshot (the Functions app records it per scope).</summary>
    public string? SnapshotSha256 { get; init; }

    /// <summary>
    /// Findings per store write. Small on purpose: the findings of a batch stay alive while it is
    /// written, long enough to be promoted to the oldest generation, where they pile up until a full
    /// collection. Measured at 1M resources: 5000 a batch left 480 MB of heap (92 MB live) and a peak
    /// 260 MB above --store none; 1000 a batch, 270 MB of heap and 20 MB above.
    /// </summary>
    public int BatchSize { get; init; } = 1000;
}
