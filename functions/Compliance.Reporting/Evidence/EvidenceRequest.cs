using Compliance.Reporting.Store;

namespace Compliance.Reporting.Evidence;

/// <summary>What to export: a finalised run, to a folder, optionally limited to frameworks and signed.</summary>
public sealed record EvidenceRequest
{
    public required RunRecord Run { get; init; }

    public required string Directory { get; init; }

    public required string ToolVersion { get; init; }

    /// <summary>controls.csv only for these frameworks; empty: all.</summary>
    public IReadOnlyList<string> Frameworks { get; init; } = [];

    public SigningKey? SigningKey { get; init; }
}
