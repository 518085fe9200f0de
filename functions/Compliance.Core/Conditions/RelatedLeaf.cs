using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Conditions;

/// <summary>
/// <c>{ "related": { "type": "…", "scope": "children|subscription|tenant", "where": {…} }, "op": n }</c>:
/// counts other resources of the snapshot.
/// </summary>
internal sealed class RelatedLeaf(string type, RelatedScope scope, ConditionNode? where, RelatedJoin? join, Comparison comparison)
    : CountingLeaf(comparison)
{
    public string Type { get; } = type;

    public override Truth Evaluate(EvaluationContext context)
    {
        if (context.Related is null)
        {
            context.LastError = "related resources were not indexed for this evaluation";
            return Truth.Error;
        }

        var (certain, uncertain, _) = CountMatches(context, null);
        return Decide(context, certain, uncertain);
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        var subject = Reasons.RelatedSubject(Type, ScopeName);
        if (context.Related is null)
        {
            evidence.Add(Reasons.CannotEvaluate(subject, default, Comparison.Phrase(context, negated), "related resources were not indexed for this evaluation"));
            return;
        }

        var matching = new List<string>();
        var (certain, uncertain, firstError) = CountMatches(context, matching);
        evidence.Add(Evidence(context, Reasons.RelatedPath(Type, ScopeName), subject, certain, uncertain, firstError, matching, (int)certain, blame, negated));
    }

    private string ScopeName => scope switch
    {
        RelatedScope.Children => "children",
        RelatedScope.Subscription => "subscription",
        _ => "tenant",
    };

    private (long Certain, long Uncertain, string? FirstError) CountMatches(EvaluationContext context, List<string>? matching)
    {
        var candidates = context.Related!.Candidates(Type, scope, context.TargetId, context.TargetSubscriptionId, join, context);
        long certain = 0, uncertain = 0;
        string? firstError = null;
        var savedRoot = context.Root;
        try
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                var candidate = candidates[i];
                var result = Truth.True;
                if (where is not null)
                {
                    context.Root = candidate.Json;
                    result = where.Evaluate(context);
                }

                if (result == Truth.True)
                {
                    certain++;
                    if (matching is not null)
                    {
                        AddMatch(matching, (int)certain, Describe(candidate, context.TargetId));
                    }
                }
                else if (result == Truth.Error)
                {
                    uncertain++;
                    firstError ??= context.LastError;
                }
            }
        }
        finally
        {
            context.Root = savedRoot;
        }

        return (certain, uncertain, firstError);
    }

    /// <summary>A child by its path below the resource ("firewallRules/everyone"); others by name.</summary>
    private static string Describe(SnapshotResource candidate, string targetId)
    {
        if (candidate.Id.Length > targetId.Length + 1 && candidate.Id.StartsWith(targetId, StringComparison.OrdinalIgnoreCase) && candidate.Id[targetId.Length] == '/')
        {
            var relative = candidate.Id[(targetId.Length + 1)..];
            const string Providers = "providers/";
            return relative.StartsWith(Providers, StringComparison.OrdinalIgnoreCase) ? relative[Providers.Length..] : relative;
        }

        return $"'{candidate.Name}'";
    }
}
