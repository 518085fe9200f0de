using System.Text.Json;
using Compliance.Core.Evaluation;

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

    /// <summary>The most recent reason a leaf could not be evaluated.</summary>
    public string? LastError { get; set; }

    public void Reset(JsonElement target, string targetId, string? subscriptionId)
    {
        Target = target;
        Root = target;
        TargetId = targetId;
        TargetSubscriptionId = subscriptionId;
        Bindings.Clear();
        RelatedCounts.Clear();
        LastError = null;
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
