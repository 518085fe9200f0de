namespace Compliance.Reporting.Store;

/// <summary>What a run is when it starts: who, when, which scopes it will read, with which packs.</summary>
public sealed record RunStart
{
    /// <summary>Letters, digits, '.', '_', ':' and '-', at most 128 characters (see <see cref="RunIds"/>).</summary>
    public required string RunId { get; init; }

    public required string TenantId { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The scopes the run will read; each reports completion. May be empty (the CLI reports them at the end).</summary>
    public IReadOnlyList<RunScopeStart> ExpectedScopes { get; init; } = [];

    public IReadOnlyList<PackInfo> Packs { get; init; } = [];

    /// <summary>The rules the run evaluates: a finding of another rule missing from the run is not "resolved".</summary>
    public IReadOnlyList<string> RuleIds { get; init; } = [];

    /// <summary>What started the run ("cli", "timer", …), for people.</summary>
    public string? Trigger { get; init; }

    public RunProvenance Provenance { get; init; } = new();
}
