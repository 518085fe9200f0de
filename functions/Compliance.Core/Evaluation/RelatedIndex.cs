using Compliance.Core.Conditions;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Evaluation;

/// <summary>
/// The resources that <c>related</c> conditions count, kept in memory and indexed: by id (sorted, for
/// children), by subscription, and by the value of a joined field. Only the types the loaded rules
/// name are kept, which is what lets a scan stream the rest of the snapshot.
/// </summary>
internal sealed class RelatedIndex : IDisposable
{
    private readonly Dictionary<string, TypeBucket> _byType;

    public RelatedIndex(IEnumerable<string> types)
    {
        _byType = types.Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(t => t, _ => new TypeBucket(), StringComparer.OrdinalIgnoreCase);
    }

    public int Count { get; private set; }

    // Recently parsed candidates: their reduced JSON is parsed again when read, and the same candidate
    // is usually read by several leaves of the same resource's rules.
    private readonly SnapshotResource?[] _recent = new SnapshotResource?[512];
    private int _nextRecent;

    /// <summary>The JSON of a candidate, parsed at most once while it is among the recently read.</summary>
    public System.Text.Json.JsonElement JsonOf(SnapshotResource candidate)
    {
        if (candidate.Parsed is { } parsed)
        {
            return parsed;
        }

        var json = candidate.Json;
        candidate.Parsed = json;
        if (_recent[_nextRecent] is { } evicted)
        {
            evicted.Parsed = null;
        }

        _recent[_nextRecent] = candidate;
        _nextRecent = (_nextRecent + 1) % _recent.Length;
        return json;
    }

    public bool Wants(string type) => _byType.ContainsKey(type);

    public void Add(SnapshotResource resource)
    {
        var bucket = _byType[resource.Type];
        bucket.Add(resource);
        Count++;
    }

    public IReadOnlyList<SnapshotResource> Candidates(string type, RelatedScope scope, string targetId, string? targetSubscription, RelatedJoin? join, EvaluationContext context)
    {
        if (!_byType.TryGetValue(type, out var bucket))
        {
            return [];
        }

        if (join is not null)
        {
            var key = JoinKeys.Of(join.Target.Get(context));
            var keyed = key is null ? [] : bucket.Joined(join.Path, key);
            return scope switch
            {
                RelatedScope.Tenant => keyed,
                RelatedScope.Subscription => keyed.Where(r => r.SubscriptionId == targetSubscription).ToList(),
                RelatedScope.ResourceGroup => ResourceIds.ResourceGroupIdOf(targetId) is { } group ? keyed.Where(r => ResourceIds.IsWithin(r.Id, group)).ToList() : [],
                _ => keyed.Where(r => IsChild(r.Id, targetId)).ToList(),
            };
        }

        return scope switch
        {
            RelatedScope.Tenant => bucket.All,
            RelatedScope.Subscription => targetSubscription is null ? [] : bucket.InSubscription(targetSubscription),
            RelatedScope.ResourceGroup => ResourceIds.ResourceGroupIdOf(targetId) is { } group ? bucket.InResourceGroup(group) : [],
            _ => bucket.ChildrenOf(targetId),
        };
    }

    public void Dispose()
    {
        foreach (var bucket in _byType.Values)
        {
            foreach (var resource in bucket.All)
            {
                resource.Dispose();
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="id"/> lies below <paramref name="parentId"/>: a child at any depth, or an
    /// extension resource of the parent itself (".../providers/Microsoft.Insights/diagnosticSettings/x").
    /// An extension resource of a descendant (a blob service's diagnostic setting, for a storage
    /// account) belongs to that descendant, not to the parent.
    /// </summary>
    internal static bool IsChild(string id, string parentId) =>
        id.Length > parentId.Length + 1 && id[parentId.Length] == '/' &&
        id.StartsWith(parentId, StringComparison.OrdinalIgnoreCase) &&
        !IsExtensionOfDescendant(id.AsSpan(parentId.Length + 1));

    private static bool IsExtensionOfDescendant(ReadOnlySpan<char> relative) =>
        !relative.StartsWith("providers/", StringComparison.OrdinalIgnoreCase) &&
        relative.Contains("/providers/", StringComparison.OrdinalIgnoreCase);

    private sealed class TypeBucket
    {
        private readonly List<SnapshotResource> _all = [];
        private SnapshotResource[]? _sorted;
        private Dictionary<string, List<SnapshotResource>>? _bySubscription;
        private readonly Dictionary<string, Dictionary<string, List<SnapshotResource>>> _joins = new(StringComparer.Ordinal);

        public List<SnapshotResource> All => _all;

        public void Add(SnapshotResource resource)
        {
            _all.Add(resource);
            _lastParent = null;
            _lastChildren = null;
            _sorted = null;
            _bySubscription = null;
            _byResourceGroup = null;
            _joins.Clear();
        }

        public IReadOnlyList<SnapshotResource> ChildrenOf(string parentId)
        {
            // Several leaves and rules of one resource ask in a row: answer again from the last query.
            if (ReferenceEquals(parentId, _lastParent) && _lastChildren is not null)
            {
                return _lastChildren;
            }

            _lastChildren = FindChildren(parentId);
            _lastParent = parentId;
            return _lastChildren;
        }

        private string? _lastParent;
        private IReadOnlyList<SnapshotResource>? _lastChildren;

        private IReadOnlyList<SnapshotResource> FindChildren(string parentId)
        {
            if (_sorted is null)
            {
                // Ordered case-insensitively, the children of a resource are one contiguous range.
                _sorted = [.. _all];
                Array.Sort(_sorted, (a, b) => CompareIds(KeyOf(a), KeyOf(b)));
            }

            var prefix = System.Text.Encoding.UTF8.GetBytes(parentId + "/");
            var start = LowerBound(_sorted, prefix);
            var end = start;
            while (end < _sorted.Length && StartsWith(KeyOf(_sorted[end]), prefix))
            {
                end++;
            }

            var range = new ArraySegment<SnapshotResource>(_sorted, start, end - start);
            return range.All(r => IsChild(r.Id, parentId)) ? range : range.Where(r => IsChild(r.Id, parentId)).ToList();
        }

        private static ReadOnlySpan<byte> KeyOf(SnapshotResource resource) =>
            resource.IdUtf8 ?? System.Text.Encoding.UTF8.GetBytes(resource.Id);

        /// <summary>Orders UTF-8 ids ignoring ASCII case (resource ids are ASCII).</summary>
        private static int CompareIds(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        {
            var n = Math.Min(a.Length, b.Length);
            for (var i = 0; i < n; i++)
            {
                var x = Fold(a[i]);
                var y = Fold(b[i]);
                if (x != y)
                {
                    return x - y;
                }
            }

            return a.Length - b.Length;
        }

        private static bool StartsWith(ReadOnlySpan<byte> id, ReadOnlySpan<byte> prefix) =>
            id.Length >= prefix.Length && CompareIds(id[..prefix.Length], prefix) == 0;

        private static int Fold(byte c) => c is >= (byte)'a' and <= (byte)'z' ? c - 32 : c;

        public IReadOnlyList<SnapshotResource> InSubscription(string subscription)
        {
            _bySubscription ??= _all.Where(r => r.SubscriptionId is not null)
                .GroupBy(r => r.SubscriptionId!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
            return _bySubscription.TryGetValue(subscription, out var list) ? list : [];
        }

        public IReadOnlyList<SnapshotResource> InResourceGroup(string groupId)
        {
            _byResourceGroup ??= _all.Where(r => ResourceIds.ResourceGroupIdOf(r.Id) is not null)
                .GroupBy(r => ResourceIds.ResourceGroupIdOf(r.Id)!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
            return _byResourceGroup.TryGetValue(groupId, out var list) ? list : [];
        }

        private Dictionary<string, List<SnapshotResource>>? _byResourceGroup;

        public IReadOnlyList<SnapshotResource> Joined(FieldPath path, string key)
        {
            if (!_joins.TryGetValue(path.Text, out var table))
            {
                table = new Dictionary<string, List<SnapshotResource>>(StringComparer.Ordinal);
                foreach (var resource in _all)
                {
                    var k = JoinKeys.Of(PathResolver.ResolveSingle(resource.Json, path.Segments));
                    if (k is null)
                    {
                        continue;
                    }

                    if (!table.TryGetValue(k, out var list))
                    {
                        table[k] = list = [];
                    }

                    list.Add(resource);
                }

                _joins[path.Text] = table;
            }

            return table.TryGetValue(key, out var found) ? found : [];
        }

        private static int LowerBound(SnapshotResource[] sorted, ReadOnlySpan<byte> value)
        {
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (CompareIds(KeyOf(sorted[mid]), value) < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
