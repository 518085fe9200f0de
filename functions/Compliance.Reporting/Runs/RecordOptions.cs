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

    /// <summary>Findings per store write.</summary>
    public int BatchSize { get; init; } = 5000;
}
