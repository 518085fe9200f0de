using Compliance.Core.Evaluation;
using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors;

/// <summary>
/// What to collect: subscriptions and/or the Entra ID directory, and the resource types the loaded
/// rule packs need (nothing else is read). The Functions app sends one request per subscription
/// and one for the directory; the CLI one request for everything.
/// </summary>
public sealed record CollectionRequest
{
    /// <summary>Subscription ids to read; null: every subscription the identity can see; empty: none.</summary>
    public IReadOnlyList<string>? Subscriptions { get; init; }

    /// <summary>Whether to read the Entra ID directory (scope "/tenants/{tenantId}"), when the rules need Graph types.</summary>
    public bool IncludeEntra { get; init; } = true;

    /// <summary>The resource types to read: the rules' resource types and the types their related conditions count.</summary>
    public required IReadOnlyCollection<string> ResourceTypes { get; init; }

    /// <summary>The snapshot form written: the JSON document or JSON Lines.</summary>
    public SnapshotFormat Format { get; init; } = SnapshotFormat.Document;

    /// <summary>A request for what <paramref name="rules"/> need.</summary>
    public static CollectionRequest ForRules(CompiledRuleSet rules, IReadOnlyList<string>? subscriptions = null, bool includeEntra = true) => new()
    {
        Subscriptions = subscriptions,
        IncludeEntra = includeEntra,
        ResourceTypes = RequiredTypes(rules),
    };

    /// <summary>Every type a rule applies to or counts.</summary>
    public static IReadOnlySet<string> RequiredTypes(CompiledRuleSet rules) =>
        rules.Rules.SelectMany(r => r.Rule.ResourceTypes).Concat(rules.RelatedTypes).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
