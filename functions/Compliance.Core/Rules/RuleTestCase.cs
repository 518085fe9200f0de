using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>A fixture inside a pack: a resource (or small snapshot) and the outcome the rule must give.</summary>
public sealed record RuleTestCase
{
    public required string Name { get; init; }

    /// <summary>"pass", "fail", "error" or "notApplicable".</summary>
    public required string Expect { get; init; }

    /// <summary>One resource, inline.</summary>
    public JsonElement? Resource { get; init; }

    /// <summary>A small inline snapshot: the resource under test and the resources its related conditions count.</summary>
    public IReadOnlyList<JsonElement>? Resources { get; init; }

    /// <summary>Fixture file path relative to the pack file.</summary>
    public string? File { get; init; }

    public string? ResourceId { get; init; }

    public string? ReasonContains { get; init; }

    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Parameter values for this test only, by name.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }

    public required SourceLocation Location { get; init; }
}
