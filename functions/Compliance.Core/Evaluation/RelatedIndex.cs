using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Compliance.Core.Conditions;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Evaluation;

/// <summary>
/// The resources that <c>related</c> conditions count, indexed by type: by the scopes and resources
/// they are children of, by subscription, by resource group, and by the value of a joined field.
/// Only the types the loaded rules name are kept, reduced to what the rules read, and they are kept
/// in a temporary file (<see cref="SpillArena"/>), not in memory: what stays in memory is a few
/// bytes per candidate (where it is, its subscription, hashes of its parents' ids), so a scan's
/// memory stays nearly flat as the tenant grows. A candidate is read back when a count needs it; the
/// recently read stay in memory. Hashes only narrow a lookup: every candidate found is checked
/// against its real id or key, so the answers are exact.
/// </summary>
internal sealed class RelatedIndex : IDisposable
{
    private const int Cached = 4096;

    private readonly Dictionary<string, TypeBucket> _byType;
    private readonly SpillArena _arena;
    private readonly List<string> _subscriptions = [];
    private readonly Dictionary<string, int> _subscriptionNumbers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<int> _parents = [];
    private readonly ArrayBufferWriter<byte> _record = new(1024);

    // Candidates read back recently, by (bucket, slot): the same ones are read by several leaves and rules of a resource.
    private readonly Dictionary<long, SnapshotResource> _materialized = [];
    private readonly long[] _materializedOrder = new long[Cached];
    private int _nextMaterialized;

    public RelatedIndex(IEnumerable<string> types, string? spillDirectory = null)
    {
        var buckets = types.Distinct(StringComparer.OrdinalIgnoreCase).Select((t, i) => (t, i)).ToList();
        _byType = buckets.ToDictionary(b => b.t, b => new TypeBucket(this, b.i), StringComparer.OrdinalIgnoreCase);
        _arena = new SpillArena(spillDirectory);
        Array.Fill(_materializedOrder, -1);
    }

    public int Count { get; private set; }

    /// <summary>Whether the candidates are kept in a temporary file (false: in memory, when none could be written).</summary>
    public bool OnDisk => _arena.OnDisk;

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

    /// <summary>Keeps a candidate: the parts of its JSON that <paramref name="kept"/> names, with its id, type, name and location.</summary>
    public void Add(SnapshotResource resource, KeptPaths kept)
    {
        var bucket = _byType[resource.Type];
        var reduced = kept.Reduce(resource.Json);
        var name = ResourceIds.LastSegmentEquals(resource.Id, resource.Name) ? null : resource.Name;
        var record = Encode(resource.Id, resource.Type, name, resource.Location, resource.Line, reduced);
        var offset = _arena.Append(record);
        ResourceIds.ParentLengths(resource.Id, _parents);
        bucket.Add(new Slot(offset, record.Length, Subscription(resource.SubscriptionId)), resource.Id, _parents);
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

    public void Dispose() => _arena.Dispose();

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

    private int Subscription(string? subscriptionId)
    {
        if (subscriptionId is null)
        {
            return -1;
        }

        if (!_subscriptionNumbers.TryGetValue(subscriptionId, out var number))
        {
            _subscriptionNumbers[subscriptionId] = number = _subscriptions.Count;
            _subscriptions.Add(subscriptionId);
        }

        return number;
    }

    // A kept candidate: five lengths (-1: absent), its line, then the id, type, name, location and
    // reduced JSON as UTF-8.
    private const int HeaderBytes = (5 * sizeof(int)) + sizeof(long);

    private ReadOnlySpan<byte> Encode(string id, string type, string? name, string? location, long line, byte[]? json)
    {
        _record.ResetWrittenCount();
        var header = _record.GetSpan(HeaderBytes);
        var lengths = new[] { Encoding.UTF8.GetByteCount(id), Encoding.UTF8.GetByteCount(type), name is null ? -1 : Encoding.UTF8.GetByteCount(name), location is null ? -1 : Encoding.UTF8.GetByteCount(location), json?.Length ?? -1 };
        for (var i = 0; i < lengths.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header[(i * sizeof(int))..], lengths[i]);
        }

        BinaryPrimitives.WriteInt64LittleEndian(header[(5 * sizeof(int))..], line);
        _record.Advance(HeaderBytes);
        foreach (var text in new[] { id, type, name, location })
        {
            if (text is not null)
            {
                _record.Advance(Encoding.UTF8.GetBytes(text, _record.GetSpan(Encoding.UTF8.GetByteCount(text))));
            }
        }

        if (json is not null)
        {
            _record.Write(json);
        }

        return _record.WrittenSpan;
    }

    /// <summary>A kept candidate, read back (or still among the recently read).</summary>
    private SnapshotResource Materialize(int bucket, Slot slot, int number)
    {
        var key = ((long)bucket << 32) | (uint)number;
        if (_materialized.TryGetValue(key, out var known))
        {
            return known;
        }

        var resource = Read(slot);
        if (_materializedOrder[_nextMaterialized] is var evicted and >= 0)
        {
            _materialized.Remove(evicted);
        }

        _materializedOrder[_nextMaterialized] = key;
        _nextMaterialized = (_nextMaterialized + 1) % Cached;
        _materialized[key] = resource;
        return resource;
    }

    private SnapshotResource Read(Slot slot)
    {
        var rented = ArrayPool<byte>.Shared.Rent(slot.Length);
        try
        {
            var bytes = rented.AsSpan(0, slot.Length);
            _arena.Read(slot.Offset, bytes);
            Span<int> lengths = stackalloc int[5];
            for (var i = 0; i < lengths.Length; i++)
            {
                lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * sizeof(int))..]);
            }

            var line = BinaryPrimitives.ReadInt64LittleEndian(bytes[(5 * sizeof(int))..]);
            var at = HeaderBytes;
            string? Text(int length)
            {
                if (length < 0)
                {
                    return null;
                }

                var text = Encoding.UTF8.GetString(rented, at, length);
                at += length;
                return text;
            }

            var id = Text(lengths[0])!;
            var type = Text(lengths[1])!;
            var name = Text(lengths[2]);
            var location = Text(lengths[3]);
            var json = lengths[4] < 0 ? null : bytes.Slice(at, lengths[4]).ToArray();
            return new SnapshotResource(id, type, name, location, line, json);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Where a candidate is kept, and its subscription (by number; -1: none).</summary>
    private readonly record struct Slot(long Offset, int Length, int Subscription);

    private sealed class TypeBucket(RelatedIndex index, int bucketNumber)
    {
        private readonly List<Slot> _slots = [];

        // (hash of a parent's id, slot) for each parent-shaped prefix of each candidate's id, sorted when first asked.
        private readonly List<long> _parents = [];
        private long[]? _parentsSorted;
        private Dictionary<int, int[]>? _bySubscription;
        private Dictionary<string, int[]>? _byResourceGroup;
        private readonly Dictionary<string, long[]> _joins = new(StringComparer.Ordinal);
        private string? _lastParent;
        private IReadOnlyList<SnapshotResource>? _lastChildren;

        public IReadOnlyList<SnapshotResource> All => new CandidateList(this, null);

        public void Add(Slot slot, string id, List<int> parentLengths)
        {
            var number = _slots.Count;
            _slots.Add(slot);
            foreach (var length in parentLengths)
            {
                _parents.Add(Pack(HashIgnoringCase(id.AsSpan(0, length)), number));
            }

            _parentsSorted = null;
            _bySubscription = null;
            _byResourceGroup = null;
            _joins.Clear();
            _lastParent = null;
            _lastChildren = null;
        }

        public SnapshotResource Get(int number) => index.Materialize(bucketNumber, _slots[number], number);

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

        private List<SnapshotResource> FindChildren(string parentId)
        {
            var children = new List<SnapshotResource>();
            if (ResourceIds.IsParentShaped(parentId))
            {
                _parentsSorted ??= Sorted(_parents);
                foreach (var slot in Range(_parentsSorted, HashIgnoringCase(parentId)))
                {
                    var candidate = Get(slot);
                    if (IsChild(candidate.Id, parentId))
                    {
                        children.Add(candidate);
                    }
                }
            }
            else
            {
                // Not the id of a scope or resource (so not indexed as a parent): look at every candidate.
                for (var slot = 0; slot < _slots.Count; slot++)
                {
                    var candidate = Get(slot);
                    if (IsChild(candidate.Id, parentId))
                    {
                        children.Add(candidate);
                    }
                }
            }

            // Children in the order of their ids, ignoring case (as ids compare).
            children.Sort((a, b) => CompareIds(a.Id, b.Id));
            return children;
        }

        public IReadOnlyList<SnapshotResource> InSubscription(string subscription)
        {
            if (!index._subscriptionNumbers.TryGetValue(subscription, out var wanted))
            {
                return [];
            }

            _bySubscription ??= Enumerable.Range(0, _slots.Count)
                .Where(n => _slots[n].Subscription >= 0)
                .GroupBy(n => _slots[n].Subscription)
                .ToDictionary(g => g.Key, g => g.ToArray());
            return _bySubscription.TryGetValue(wanted, out var slots) ? new CandidateList(this, slots) : [];
        }

        public IReadOnlyList<SnapshotResource> InResourceGroup(string groupId)
        {
            if (_byResourceGroup is null)
            {
                var groups = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
                for (var n = 0; n < _slots.Count; n++)
                {
                    if (ResourceIds.ResourceGroupIdOf(index.Read(_slots[n]).Id) is { } group)
                    {
                        if (!groups.TryGetValue(group, out var list))
                        {
                            groups[group] = list = [];
                        }

                        list.Add(n);
                    }
                }

                _byResourceGroup = groups.ToDictionary(g => g.Key, g => g.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
            }

            return _byResourceGroup.TryGetValue(groupId, out var slots) ? new CandidateList(this, slots) : [];
        }

        public IReadOnlyList<SnapshotResource> Joined(FieldPath path, string key)
        {
            if (!_joins.TryGetValue(path.Text, out var table))
            {
                var entries = new List<long>();
                for (var n = 0; n < _slots.Count; n++)
                {
                    if (KeyOf(index.Read(_slots[n]), path) is { } k)
                    {
                        entries.Add(Pack(string.GetHashCode(k, StringComparison.Ordinal), n));
                    }
                }

                _joins[path.Text] = table = Sorted(entries);
            }

            var found = new List<SnapshotResource>();
            foreach (var slot in Range(table, string.GetHashCode(key, StringComparison.Ordinal)))
            {
                var candidate = Get(slot);
                if (KeyOf(candidate, path) == key)
                {
                    found.Add(candidate);
                }
            }

            return found;
        }

        public int Count => _slots.Count;

        private static string? KeyOf(SnapshotResource candidate, FieldPath path) =>
            JoinKeys.Of(PathResolver.ResolveSingle(candidate.Json, path.Segments));

        private static int HashIgnoringCase(ReadOnlySpan<char> id) => string.GetHashCode(id, StringComparison.OrdinalIgnoreCase);

        // Sorted as unsigned numbers: by hash, then by slot, so the candidates of one hash come in snapshot order.
        private static long Pack(int hash, int slot) => (long)(((ulong)(uint)hash << 32) | (uint)slot);

        private static long[] Sorted(List<long> entries)
        {
            var sorted = entries.ToArray();
            Array.Sort(sorted, (a, b) => ((ulong)a).CompareTo((ulong)b));
            return sorted;
        }

        private static IEnumerable<int> Range(long[] sorted, int hash)
        {
            var low = (ulong)(uint)hash << 32;
            int lo = 0, hi = sorted.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if ((ulong)sorted[mid] < low)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            for (var i = lo; i < sorted.Length && (ulong)sorted[i] >> 32 == (uint)hash; i++)
            {
                yield return (int)(uint)sorted[i];
            }
        }

        /// <summary>Orders ids as UTF-8 bytes ignoring ASCII case (resource ids are ASCII).</summary>
        private static int CompareIds(string a, string b)
        {
            var left = Encoding.UTF8.GetBytes(a);
            var right = Encoding.UTF8.GetBytes(b);
            var n = Math.Min(left.Length, right.Length);
            for (var i = 0; i < n; i++)
            {
                var p = Fold(left[i]);
                var q = Fold(right[i]);
                if (p != q)
                {
                    return p - q;
                }
            }

            return left.Length - right.Length;
        }

        private static int Fold(byte c) => c is >= (byte)'a' and <= (byte)'z' ? c - 32 : c;
    }

    /// <summary>Some (or all) candidates of a bucket, read back one by one as a count reaches them.</summary>
    private sealed class CandidateList(TypeBucket bucket, int[]? slots) : IReadOnlyList<SnapshotResource>
    {
        public int Count => slots?.Length ?? bucket.Count;

        public SnapshotResource this[int index] => bucket.Get(slots is null ? index : slots[index]);

        public IEnumerator<SnapshotResource> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
