using System.Text.Json;
using Compliance.Core.Evaluation;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Conditions;

/// <summary>
/// Mutable state of one evaluation: the resource under test, the current root (the resource, or a
/// related candidate), the array elements bound by enclosing counts, and the scan clock. One instance
/// is reused for every resource of a scan, so evaluation allocates little.
/// </summary>
internal sealed class EvaluationContext
{
    private readonly Stack<List<ResolvedValue>> _lists = new();

    public EvaluationContext(DateTimeOffset now, RelatedIndex? related)
    {
        Now = now;
        Related = related;
    }

    public DateTimeOffset Now { get; }

    /// <summary>The tenant the snapshot was read from (<c>subscription().tenantId</c>), when it says.</summary>
    public string? TenantId { get; init; }

    public RelatedIndex? Related { get; }

    /// <summary>The resource the rule is evaluating ([resource('path')] reads it).</summary>
    public JsonElement Target { get; private set; }

    public string TargetId { get; private set; } = string.Empty;

    public string? TargetSubscriptionId { get; private set; }

    /// <summary>What unbound field paths read: the target, or a related candidate inside related.where.</summary>
    public JsonElement Root { get; set; }

    /// <summary>Elements bound by enclosing counts, by slot.</summary>
    public List<ResolvedValue> Bindings { get; } = [];

    /// <summary>Related counts already computed for the current resource.</summary>
    public Dictionary<RelatedLeaf, RelatedCount> RelatedCounts { get; } = [];

    /// <summary>Set by an operand that could not compute its value (addDays on a non-date).</summary>
    public string? OperandError { get; set; }

    /// <summary>While a failing finding's evidence is explained for its message: what the evidence offers it.</summary>
    public MessageFacts? Facts { get; set; }

    /// <summary>The plain-words message of an error outcome that a scope or type the collector could not read causes.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>What the snapshot calls the objects and scopes resources refer to, for messages.</summary>
    public SnapshotNames Names { get; set; } = SnapshotNames.None;

    /// <summary>The most recent reason a leaf could not be evaluated.</summary>
    public string? LastError { get; set; }

    /// <summary>The scopes the collector could not read completely (known once the whole snapshot is read).</summary>
    public IncompleteScopes IncompleteScopes { get; set; } = IncompleteScopes.None;

    /// <summary>Related types the collector could not read, with why (the snapshot's "uncollected" list).</summary>
    public IReadOnlyDictionary<string, string> Uncollected { get; set; } = new Dictionary<string, string>();

    /// <summary>Why <paramref name="type"/> was not collected, or null when it was.</summary>
    public string? UncollectedReason(string type) =>
        Uncollected.Count > 0 && Uncollected.TryGetValue(type, out var reason) ? reason : null;

    /// <summary>The failed scope the evaluated resource lies in, if any.</summary>
    public SnapshotScope? OwnFailedScope { get; private set; }

    /// <summary>A failed scope that may hold <paramref name="type"/> resources this count did not see, if any.</summary>
    public SnapshotScope? IncompleteScopeFor(string type, RelatedScope scope) =>
        IncompleteScopes.Any ? IncompleteScopes.Blocking(OwnFailedScope, type, scope) : null;

    public void Reset(SnapshotResource resource)
    {
        Reset(resource.Json, resource.Id, resource.SubscriptionId);
        OwnFailedScope = IncompleteScopes.Any ? IncompleteScopes.OwnScopeOf(resource) : null;
    }

    public void Reset(JsonElement target, string targetId, string? subscriptionId)
    {
        OwnFailedScope = null;
        Target = target;
        Root = target;
        TargetId = targetId;
        TargetSubscriptionId = subscriptionId;
        Bindings.Clear();
        RelatedCounts.Clear();
        LastError = null;
        ErrorMessage = null;
    }

    public void Bind(int slot, ResolvedValue value)
    {
        while (Bindings.Count <= slot)
        {
            Bindings.Add(default);
        }

        Bindings[slot] = value;
    }

    public List<ResolvedValue> RentList()
    {
        if (_lists.TryPop(out var list))
        {
            list.Clear();
            return list;
        }

        return new List<ResolvedValue>(8);
    }

    public void Return(List<ResolvedValue> list) => _lists.Push(list);
}
