namespace Compliance.Core.Findings;

/// <summary>
/// The result of one rule on one resource, with the rule's metadata and the evidence that decided it.
/// </summary>
public sealed record Finding
{
    public required string FindingId { get; init; }

    public required string RuleId { get; init; }

    public required string RuleTitle { get; init; }

    public required string PackId { get; init; }

    public required string PackVersion { get; init; }

    public required string ResourceId { get; init; }

    public required string ResourceName { get; init; }

    public required string ResourceType { get; init; }

    public string? Location { get; init; }

    /// <summary>The subscription the resource belongs to, when its id names one.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The resource's tags (name → value) when it has any; suppressions can match on them.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public required Outcome Outcome { get; init; }

    public required Severity Severity { get; init; }

    public required RuleCategory Category { get; init; }

    /// <summary>One readable sentence: why the finding has its outcome.</summary>
    public required string Reason { get; init; }

    /// <summary>
    /// The rule's <c>message</c> template rendered from the resource and its evidence, in plain words
    /// ("Guest alice@contoso holds User Access Administrator on subscription Prod"); null when the rule
    /// has no template or the finding is not a failure.
    /// </summary>
    public string? Message { get; init; }

    public IReadOnlyList<EvidenceItem> Evidence { get; init; } = [];

    /// <summary>Framework name → control ids, e.g. "CIS-Azure-3.0.0" → ["7.1"].</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Controls { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    public string? Remediation { get; init; }

    /// <summary>When an active suppression applies: its justification.</summary>
    public string? SuppressionJustification { get; init; }

    /// <summary>When an active suppression applies: when it expires.</summary>
    public DateTimeOffset? SuppressionExpiresOn { get; init; }

    /// <summary>When an active suppression applies: its id.</summary>
    public string? SuppressionId { get; init; }

    /// <summary>True when the suppression that applies covers every rule or every resource (it had to say <c>"broad": true</c>).</summary>
    public bool? SuppressionBroad { get; init; }
}
