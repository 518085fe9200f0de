using Compliance.Core.Snapshots;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>What recording a snapshot into a run did: the run as it then stands, what was read and stored.</summary>
public sealed record SnapshotRecording
{
    public required RunRecord Run { get; init; }

    public required SnapshotHeader Header { get; init; }

    public long Resources { get; init; }

    public long Findings { get; init; }

    /// <summary>The scopes the run was told of (from the snapshot's scope list and from its findings), with their status.</summary>
    public IReadOnlyList<ScopeCompletion> Scopes { get; init; } = [];
}
