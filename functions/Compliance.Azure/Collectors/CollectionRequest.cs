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

    /// <summary>
    /// The related types the rules count and, for each, the type of the resource a rule counts them
    /// under (null when the count is not under the resource): which resources need an extension list
    /// (their diagnostic settings), and which related types no reader serves.
    /// </summary>
    public IReadOnlyCollection<(string Type, string? ParentType)> RelatedReads { get; init; } = [];

    /// <summary>
    /// Where the directory's objects come from when <see cref="IncludeEntra"/> asks for them: null, Microsoft
    /// Graph; otherwise the directory as the run's directory scan shared it (one directory read per run, not
    /// one per subscription), awaited while the subscriptions are read. Its objects of the requested Graph
    /// types are copied into the snapshot with the directory scope's status; a directory that was not read
    /// (or not shared in time) makes the directory scope an error with the reason.
    /// </summary>
    public Func<CancellationToken, Task<Graph.SharedDirectory>>? SharedDirectory { get; init; }

    /// <summary>The snapshot form written: the JSON document or JSON Lines.</summary>
    public SnapshotFormat Format { get; init; } = SnapshotFormat.Document;

    /// <summary>A request for what <paramref name="rules"/> need.</summary>
    public static CollectionRequest ForRules(CompiledRuleSet rules, IReadOnlyList<string>? subscriptions = null, bool includeEntra = true) => new()
    {
        Subscriptions = subscriptions,
        IncludeEntra = includeEntra,
        ResourceTypes = RequiredTypes(rules),
        RelatedReads = RelatedReadsOf(rules),
    };

    /// <summary>Each related type with the resource types it is counted under (children scope) or null.</summary>
    public static IReadOnlyCollection<(string Type, string? ParentType)> RelatedReadsOf(CompiledRuleSet rules) =>
        rules.Rules
            .SelectMany(r => r.RelatedUses.SelectMany(u => u.Children
                ? r.Rule.ResourceTypes.Select(t => (u.Type, (string?)t))
                : [(u.Type, (string?)null)]))
            .Distinct()
            .ToList();

    /// <summary>Every type a rule applies to or counts.</summary>
    public static IReadOnlySet<string> RequiredTypes(CompiledRuleSet rules) =>
        rules.Rules.SelectMany(r => r.Rule.ResourceTypes).Concat(rules.RelatedTypes).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
