using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>A fixture inside a pack: a resource (or small snapshot) and the outcome the rule must give.</summary>
public sealed record RuleTestCase
{
    public required string Name { get; init; }

    /// <summary>"pass", "fail", "error" or "notApplicable".</summary>
    public required string Expect { get; init; }

    public JObject? Resource { get; init; }

    public JArray? Resources { get; init; }

    /// <summary>Fixture file path relative to the pack file.</summary>
    public string? File { get; init; }

    public string? ResourceId { get; init; }

    public string? ReasonContains { get; init; }

    public DateTimeOffset? AsOf { get; init; }

    public JObject? Parameters { get; init; }

    public required SourceLocation Location { get; init; }
}
