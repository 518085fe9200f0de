using Compliance.Core.Findings;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>A declarative rule as written in its pack (not yet compiled).</summary>
public sealed record Rule
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>What the rule decides when a property it reads is absent, and the source of that decision.</summary>
    public string? Notes { get; init; }

    public required Severity Severity { get; init; }

    public required RuleCategory Category { get; init; }

    public required IReadOnlyList<string> ResourceTypes { get; init; }

    public JObject? Where { get; init; }

    public required JObject Condition { get; init; }

    public string? Remediation { get; init; }

    public IReadOnlyList<string> Links { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Controls { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<RuleTestCase> Tests { get; init; } = [];

    public required SourceLocation Location { get; init; }
}
