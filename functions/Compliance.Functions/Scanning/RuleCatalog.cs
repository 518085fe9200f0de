using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// The rule packs of the app, loaded, validated and compiled once at start-up (a pack with errors
/// stops the app with every problem named), and what each kind of scope must collect for them.
/// </summary>
public sealed class RuleCatalog
{
    public RuleCatalog(IOptions<ScanSettings> options)
    {
        var settings = options.Value;
        var loaded = RulePackLoader.Load(RulePackFiles.Read(settings.Rules.Select(ScanSettings.Resolve)));
        Rules = CompiledRuleSet.Compile(loaded.PacksOrThrow(), settings.Parameters);
        Packs = Rules.Packs.Select(p => new PackInfo(p.Id, p.Version, p.ContentHash)).ToList();
        Parameters = settings.Parameters;
        RuleIds = Rules.Rules.Select(r => r.Rule.Id).ToList();

        // A scope reads the types its rules apply to and every type those rules count, wherever it
        // lives: a role assignment in a subscription counts the directory's guest users.
        SubscriptionTypes = TypesFor(Rules, graph: false);
        // The organization comes along whenever a Graph type is read: it is the tenant (its name labels the directory scope).
        var counted = SubscriptionTypes.Where(IsGraph).ToList();
        SharedDirectoryTypes = counted.Count == 0 ? new HashSet<string>() : counted.Append(ResourceIds.OrganizationType).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // The directory's scan reads, once per run, what its own rules need and what the subscriptions' rules count.
        EntraTypes = TypesFor(Rules, graph: true).Union(SharedDirectoryTypes, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public CompiledRuleSet Rules { get; }

    public IReadOnlyList<PackInfo> Packs { get; }

    public IReadOnlyList<string> RuleIds { get; }

    /// <summary>The pack parameter overrides of the app (Scan:Parameters), recorded in each run's provenance.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>What a subscription's scan collects.</summary>
    public IReadOnlySet<string> SubscriptionTypes { get; }

    /// <summary>What the directory's scan collects: the types of the directory's rules and the <see cref="SharedDirectoryTypes"/>.</summary>
    public IReadOnlySet<string> EntraTypes { get; }

    /// <summary>The directory types a subscription's rules count (microsoft.graph/users, for AZ-ACC-005): what the directory's scan shares with the subscription scans.</summary>
    public IReadOnlySet<string> SharedDirectoryTypes { get; }

    /// <summary>Whether a run reads the directory at all: a rule applies to directory objects, or a subscription's rule counts them.</summary>
    public bool NeedsEntra => EntraTypes.Count > 0;

    /// <summary>Whether a subscription's scan needs directory objects too (a rule there counts them).</summary>
    public bool SubscriptionsNeedGraph => SharedDirectoryTypes.Count > 0;

    private static HashSet<string> TypesFor(CompiledRuleSet rules, bool graph) =>
        rules.Rules
            .Where(r => r.Rule.ResourceTypes.Any(t => IsGraph(t) == graph))
            .SelectMany(r => r.Rule.ResourceTypes.Where(t => IsGraph(t) == graph).Concat(r.RelatedTypes))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsGraph(string type) => ResourceIds.IsGraphType(type);
}
