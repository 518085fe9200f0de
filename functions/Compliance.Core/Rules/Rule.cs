using Compliance.Core.Findings;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>A declarative rule of a pack: what it checks, on which resources, mapped to which controls, with its tests.</summary>
public sealed record Rule
{
    public required string Id { get; init; }

    /// <summary>The expected secure state; <c>{parameter}</c> placeholders show the value in force.</summary>
    public required string Title { get; init; }

    public string? Description { get; init; }

    /// <summary>What the rule decides when a property it reads is absent, and the source of that decision.</summary>
    public string? Notes { get; init; }

    public required Severity Severity { get; init; }

    public required RuleCategory Category { get; init; }

    public required IReadOnlyList<string> ResourceTypes { get; init; }

    public string? Remediation { get; init; }

    /// <summary>
    /// The plain-words sentence a failing finding shows (<see cref="Findings.Finding.Message"/>), with
    /// placeholders the resource and the deciding evidence fill in; null when the rule has none (the
    /// engine's reason is shown instead).
    /// </summary>
    public MessageTemplate? Message { get; init; }

    public IReadOnlyList<string> Links { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Controls { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<RuleTestCase> Tests { get; init; } = [];

    /// <summary>The Azure Policy definition the rule was imported from; null for a rule written by hand.</summary>
    public PolicyOrigin? Policy { get; init; }

    public required SourceLocation Location { get; init; }

    /// <summary>The where and condition as written, kept to compile them again with other parameter values.</summary>
    internal (JObject? Where, JObject Condition) Source { get; init; }

    /// <summary>The where and condition compiled with the pack's defaults when the pack was loaded.</summary>
    internal RuleCompilation? Compiled { get; init; }

    /// <summary>Title, description and remediation as written, with their <c>{parameter}</c> placeholders.</summary>
    internal (string Title, string? Description, string? Remediation) Written { get; init; }

    /// <summary>The rule with its placeholders rendered from the given parameter values.</summary>
    internal Rule WithText(Func<string, System.Text.Json.JsonElement?> valueOf) => this with
    {
        Title = RuleText.Render(Written.Title ?? Title, valueOf),
        Description = Written.Description is null ? null : RuleText.Render(Written.Description, valueOf),
        Remediation = Written.Remediation is null ? null : RuleText.Render(Written.Remediation, valueOf),
        Message = Message?.WithParameters(valueOf),
    };
}
