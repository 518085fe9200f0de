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
        EntraTypes = TypesFor(Rules, graph: true);
    }

    public CompiledRuleSet Rules { get; }

    public IReadOnlyList<PackInfo> Packs { get; }

    public IReadOnlyList<string> RuleIds { get; }

    /// <summary>The pack parameter overrides of the app (Scan:Parameters), recorded in each run's provenance.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>What a subscription's scan collects.</summary>
    public IReadOnlySet<string> SubscriptionTypes { get; }

    /// <summary>What the directory's scan collects.</summary>
    public IReadOnlySet<string> EntraTypes { get; }

    /// <summary>Whether any rule needs the directory at all.</summary>
    public bool NeedsEntra => EntraTypes.Count > 0;

    /// <summary>Whether a subscription's scan must read directory objects too (a rule there counts them).</summary>
    public bool SubscriptionsNeedGraph => SubscriptionTypes.Any(IsGraph);

    private static HashSet<string> TypesFor(CompiledRuleSet rules, bool graph) =>
        rules.Rules
            .Where(r => r.Rule.ResourceTypes.Any(t => IsGraph(t) == graph))
            .SelectMany(r => r.Rule.ResourceTypes.Where(t => IsGraph(t) == graph).Concat(r.RelatedTypes))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsGraph(string type) => ResourceIds.IsGraphType(type);
}
