using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Graph;
using Compliance.Azure.Collectors.ResourceGraph;
using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors;

/// <summary>
/// Which calls a set of resource types takes: one Resource Graph query per table (resource
/// containers first: the subscriptions themselves), the ARM child lists Resource Graph cannot
/// serve, and the Microsoft Graph collections.
/// </summary>
internal sealed class CollectionPlan
{
    private CollectionPlan(IReadOnlyList<ResourceGraphQuery> queries, IReadOnlyList<ArmChildType> children, IReadOnlyList<GraphDataset> datasets, IReadOnlyList<string> unsupportedGraphTypes, bool needsAzure)
    {
        Queries = queries;
        Children = children;
        Datasets = datasets;
        UnsupportedGraphTypes = unsupportedGraphTypes;
        NeedsAzure = needsAzure;
        ParentTypes = children.Select(c => c.ParentType).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

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

    public static CollectionPlan Create(IEnumerable<string> resourceTypes)
    {
        var armTypes = new SortedSet<string>(StringComparer.Ordinal);
        var children = new List<ArmChildType>();
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
            else
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

        return new CollectionPlan(queries, children, datasets, unsupported, needsAzure);
    }
}
