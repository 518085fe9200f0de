using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Graph;
using Compliance.Azure.Collectors.ResourceGraph;
using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors;

/// <summary>
/// Which calls a set of resource types takes: one Resource Graph query per table (resource
/// containers first: the subscriptions themselves), the ARM child lists Resource Graph cannot
/// serve (and the extension lists, such as the diagnostic settings of each resource of the types
/// whose rules count them), and the Microsoft Graph collections. A related type none of them serves
/// is listed as uncollected, so that a count of it is never taken for complete.
/// </summary>
internal sealed class CollectionPlan
{
    /// <summary>
    /// Child types Resource Graph's resources table holds (Learn: "Azure Resource Graph table and
    /// resource type reference", https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources);
    /// a top-level type (Namespace/type) is read from it too.
    /// </summary>
    private static readonly HashSet<string> IndexedChildTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "microsoft.compute/virtualmachines/extensions",
        "microsoft.hybridcompute/machines/extensions",
        "microsoft.sql/servers/databases",
        "microsoft.sql/servers/elasticpools",
        "microsoft.sql/managedinstances/databases",
        "microsoft.network/networkwatchers/flowlogs",
        "microsoft.web/sites/slots",
    };

    private CollectionPlan(IReadOnlyList<ResourceGraphQuery> queries, IReadOnlyList<ArmChildType> children, IReadOnlyList<GraphDataset> datasets, IReadOnlyList<string> unsupportedGraphTypes, bool needsAzure, IReadOnlyList<UncollectedType> uncollected)
    {
        Queries = queries;
        Children = children;
        Datasets = datasets;
        UnsupportedGraphTypes = unsupportedGraphTypes;
        NeedsAzure = needsAzure;
        Uncollected = uncollected;
        ParentTypes = children.Select(c => c.ParentType).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Related types no query or list serves: the snapshot says so, and counts of them are never complete.</summary>
    public IReadOnlyList<UncollectedType> Uncollected { get; }

    /// <summary>Resource Graph queries; the first is always the resource containers (subscriptions).</summary>
    public IReadOnlyList<ResourceGraphQuery> Queries { get; }

    public IReadOnlyList<ArmChildType> Children { get; }

    public IReadOnlySet<string> ParentTypes { get; }

    /// <summary>Graph collections to read; the organization (the tenant itself) comes first whenever any is read.</summary>
    public IReadOnlyList<GraphDataset> Datasets { get; }

    /// <summary>Graph types the rules need that no dataset serves: the Entra scope cannot be complete.</summary>
    public IReadOnlyList<string> UnsupportedGraphTypes { get; }

    public bool NeedsAzure { get; }

    public bool NeedsEntra => Datasets.Count > 0;

    public static CollectionPlan Create(IEnumerable<string> resourceTypes, IReadOnlyCollection<(string Type, string? ParentType)>? relatedReads = null)
    {
        relatedReads ??= [];
        var armTypes = new SortedSet<string>(StringComparer.Ordinal);
        var children = new List<ArmChildType>();

        // Extension lists (diagnostic settings): one per resource of each type whose rules count them under it.
        foreach (var (type, parent) in relatedReads.Where(r => r.ParentType is not null && ArmChildType.IsExtension(r.Type)).Distinct())
        {
            if (!parent!.StartsWith(ResourceIds.GraphTypePrefix, StringComparison.OrdinalIgnoreCase) && ResourceGraphQuery.IsSafeType(parent) &&
                !children.Any(c => c.Type.Equals(type, StringComparison.OrdinalIgnoreCase) && c.ParentType.Equals(parent, StringComparison.OrdinalIgnoreCase)))
            {
                children.Add(ArmChildType.Extension(type, parent)!);
                armTypes.Add(parent.ToLowerInvariant());
            }
        }

        var datasets = new List<GraphDataset>();
        var unsupported = new List<string>();
        foreach (var raw in resourceTypes.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (ResourceIds.IsGraphType(raw))
            {
                if (GraphDataset.ForType(raw) is { } dataset)
                {
                    datasets.Add(dataset);
                }
                else
                {
                    unsupported.Add(raw);
                }

                continue;
            }

            if (!ResourceGraphQuery.IsSafeType(raw))
            {
                throw new CollectorConfigurationException($"'{raw}' is not a resource type the collectors can query (expected Namespace/type[/child…]).");
            }

            if (ArmChildType.Find(raw) is { } child)
            {
                children.Add(child);
                armTypes.Add(child.ParentType.ToLowerInvariant());
            }
            else if (!ArmChildType.IsExtension(raw))
            {
                armTypes.Add(raw.ToLowerInvariant());
            }
        }

        var needsAzure = armTypes.Count > 0;

        // Subscriptions are always read with the rest: their names label the scopes, and a requested
        // subscription that Resource Graph does not return is one the identity cannot read.
        armTypes.Add(ResourceGraphTables.SubscriptionType);
        var queries = armTypes
            .GroupBy(ResourceGraphTables.TableOf)
            .OrderBy(g => g.Key == ResourceGraphTables.ResourceContainers ? 0 : 1)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ResourceGraphQuery(g.Key, [.. g]))
            .ToList();

        if (datasets.Count > 0 || unsupported.Count > 0)
        {
            datasets.Remove(GraphDataset.Organization);
            datasets.Insert(0, GraphDataset.Organization);
        }

        return new CollectionPlan(queries, children, datasets, unsupported, needsAzure, Unread(relatedReads, children));
    }

    /// <summary>Related ARM types no Resource Graph table, ARM child list or extension list of the plan serves.</summary>
    private static List<UncollectedType> Unread(IReadOnlyCollection<(string Type, string? ParentType)> relatedReads, List<ArmChildType> children)
    {
        var unread = new List<UncollectedType>();
        foreach (var type in relatedReads.Select(r => r.Type).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var segments = type.Split('/').Length;
            var served = type.StartsWith(ResourceIds.GraphTypePrefix, StringComparison.OrdinalIgnoreCase) ||
                         children.Any(c => c.Type.Equals(type, StringComparison.OrdinalIgnoreCase)) ||
                         ArmChildType.Find(type) is not null ||
                         ResourceGraphTables.TableOf(type) != ResourceGraphTables.Resources ||
                         segments <= 2 || IndexedChildTypes.Contains(type);
            if (!served)
            {
                unread.Add(new UncollectedType(type, ArmChildType.IsExtension(type)
                    ? "an extension resource the rules count outside the resource it belongs to, which the collector does not list"
                    : "a child resource type that Resource Graph does not index and the collector has no ARM list for"));
            }
        }

        return unread;
    }
}
