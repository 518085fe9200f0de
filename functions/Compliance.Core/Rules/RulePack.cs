namespace Compliance.Core.Rules;

/// <summary>A loaded and validated rule pack.</summary>
public sealed record RulePack
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required string Version { get; init; }

    public IReadOnlyDictionary<string, RuleParameter> Parameters { get; init; } =
        new Dictionary<string, RuleParameter>(StringComparer.OrdinalIgnoreCase);

    public required IReadOnlyList<Rule> Rules { get; init; }

    /// <summary>The file the pack was read from, as given to the loader.</summary>
    public required string SourcePath { get; init; }

    /// <summary>SHA-256 of the pack file's bytes (lower-case hex): which exact rules produced a run.</summary>
    public required string ContentHash { get; init; }

    /// <summary>Opens a fixture file named relative to the pack (for <c>rules test</c>).</summary>
    public Func<string, Stream>? OpenFixture { get; init; }
}
