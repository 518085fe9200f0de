using System.Text.RegularExpressions;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// An accepted exception: a rule on a resource (by id or pattern, optionally only when it has a
/// tag), with why, who owns it and when it stops applying.
/// </summary>
public sealed record Suppression
{
    /// <summary>Unique among the suppressions; given in the file or derived from what it matches.</summary>
    public required string Id { get; init; }

    /// <summary>A rule id, or a pattern with '*' and '?' ("AZ-NET-*").</summary>
    public required string RuleId { get; init; }

    /// <summary>The exact resource id (case-insensitive); or use <see cref="ResourcePattern"/>.</summary>
    public string? ResourceId { get; init; }

    /// <summary>A resource id pattern: '*' any run of characters (also '/'), '?' one character; case-insensitive.</summary>
    public string? ResourcePattern { get; init; }

    /// <summary>When set, only resources with this tag (and value, when given) are covered.</summary>
    public SuppressionTag? Tag { get; init; }

    public required string Justification { get; init; }

    public required string Owner { get; init; }

    /// <summary>The suppression applies strictly before this instant.</summary>
    public required DateTimeOffset ExpiresOn { get; init; }

    /// <summary>Where it came from: "suppressions.json:14", or "store".</summary>
    public string? Source { get; init; }

    /// <summary>
    /// Declares that the suppression covers every rule or every resource (<see cref="CoversEverything"/>):
    /// such a suppression is refused without it, and is listed as broad in every output.
    /// </summary>
    public bool Broad { get; init; }

    /// <summary>Whether the rule id is a pattern (with '*' or '?') rather than one rule's id.</summary>
    public bool HasRulePattern => RuleId.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// What makes the suppression broad, or null: a rule pattern with no literal text ("*", "**")
    /// matches every rule; a resource pattern whose literal text is at most "/" or "/subscriptions/"
    /// ("*", "/*", "/subscriptions/*") matches every resource, unless a tag narrows it.
    /// </summary>
    public string? CoversEverything
    {
        get
        {
            static string Literal(string pattern) => new(pattern.Where(c => c is not ('*' or '?')).ToArray());
            if (RuleId.AsSpan().IndexOfAnyExcept('*', '?') < 0)
            {
                return $"ruleId '{RuleId}' matches every rule";
            }

            // More than "subscriptions" has letters cannot be all of it: most patterns are answered without building the literal.
            if (ResourcePattern is { } pattern && Tag is null && pattern.Length - pattern.AsSpan().Count('*') - pattern.AsSpan().Count('?') - pattern.AsSpan().Count('/') <= "subscriptions".Length
                && Literal(pattern).Trim('/').ToLowerInvariant() is "" or "subscriptions")
            {
                return $"resourcePattern '{pattern}' matches every resource";
            }

            return null;
        }
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresOn;

    /// <summary>Whether it covers the finding (ignoring expiry and outcome).</summary>
    public bool Matches(Finding finding)
    {
        if (!Glob(RuleId).IsMatch(finding.RuleId))
        {
            return false;
        }

        var resourceMatches = ResourceId is not null
            ? string.Equals(ResourceId, finding.ResourceId, StringComparison.OrdinalIgnoreCase)
            : ResourcePattern is not null && Glob(ResourcePattern).IsMatch(finding.ResourceId);
        if (!resourceMatches)
        {
            return false;
        }

        if (Tag is null)
        {
            return true;
        }

        var tag = finding.Tags?.FirstOrDefault(t => string.Equals(t.Key, Tag.Name, StringComparison.OrdinalIgnoreCase));
        return tag?.Key is not null && (Tag.Value is null || string.Equals(tag.Value.Value, Tag.Value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What it covers, for messages: "AZ-NET-001 on /subscriptions/…/nsg-legacy with tag exception=CHG-1".</summary>
    public string Describe()
    {
        var resource = ResourceId ?? ResourcePattern ?? "*";
        var tag = Tag is null ? string.Empty : Tag.Value is null ? $" with tag {Tag.Name}" : $" with tag {Tag.Name}={Tag.Value}";
        return $"{RuleId} on {resource}{tag}";
    }

    private static Regex Glob(string pattern) => GlobCache.Get(pattern);
}
