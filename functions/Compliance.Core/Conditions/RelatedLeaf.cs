using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Conditions;

/// <summary>
/// <c>{ "related": { "type": "…", "scope": "children|subscription|tenant", "where": {…} }, "op": n }</c>:
/// counts other resources of the snapshot.
/// </summary>
internal sealed class RelatedLeaf(string type, RelatedScope scope, ConditionNode? where, RelatedJoin? join, Comparison comparison, bool memoizable)
    : CountingLeaf(comparison)
{
    public string Type { get; } = type;

    public RelatedScope Scope => scope;

    public ConditionNode? Where => where;

    public RelatedJoin? Join => join;

    public override void Accept(ConditionVisitor visitor) => visitor.VisitRelated(this);

    public override Truth Evaluate(EvaluationContext context)
    {
        if (context.Related is null)
        {
            context.LastError = "related resources were not indexed for this evaluation";
            return Truth.Error;
        }

        var count = Count(context);
        if (context.UncollectedReason(Type) is { } notRead)
        {
            // What was read (nothing, usually) is a lower bound: it decides only what more could not change.
            var decided = DecideAtLeast(context, count.Certain);
            if (decided == Truth.Error)
            {
                context.LastError = Reasons.NotCollected(Type, notRead);
            }

            return decided;
        }

        if (context.IncompleteScopeFor(Type, scope) is { } incomplete)
        {
            var result = DecideAtLeast(context, count.Certain);
            if (result == Truth.Error)
            {
                context.LastError = $"{Reasons.Scope(incomplete)} could not be read completely ({incomplete.Error ?? "no reason given"})";
            }

            return result;
        }

        return Decide(context, count.Certain, count.Uncertain);
    }

    public override void Explain(EvaluationContext context, Truth blame, bool negated, List<EvidenceItem> evidence)
    {
        var subject = Reasons.RelatedSubject(Type, ScopeName);
        if (context.Related is null)
        {
            evidence.Add(Reasons.CannotEvaluate(subject, default, Comparison.Phrase(context, negated), "related resources were not indexed for this evaluation"));
            return;
        }

        var count = Count(context);
        var path = Reasons.RelatedPath(Type, ScopeName);
        if (context.UncollectedReason(Type) is { } notRead)
        {
            var phrase = Comparison.Phrase(context, negated);
            if (blame == Truth.Error)
            {
                context.ErrorMessage ??= Reasons.NotAssessed(Type, notRead);
            }

            evidence.Add(blame == Truth.Error
                ? new EvidenceItem(path, $"at least {count.Certain}", phrase, false, $"{subject}: at least {count.Certain}, but {Reasons.NotCollected(Type, notRead)}; expected {phrase}. It is not reported as compliant.")
                : Evidence(context, path, subject, count.Certain, 0, null, [.. count.Matching], (int)count.Certain, count.Total, [.. count.NotMatching], blame, negated));
            return;
        }

        if (context.IncompleteScopeFor(Type, scope) is { } incomplete)
        {
            if (blame == Truth.Error)
            {
                evidence.Add(Reasons.RelatedIncomplete(path, subject, count.Certain, incomplete, Comparison.Phrase(context, negated)));
                context.ErrorMessage ??= Reasons.NotAssessed(incomplete);
                return;
            }

            // Decided although the scope was not read: what was read settles it whatever is missing.
            var decided = Evidence(context, path, subject, count.Certain, 0, null, [.. count.Matching], (int)count.Certain, count.Total, [.. count.NotMatching], blame, negated);
            evidence.Add(decided with { Message = decided.Message + Reasons.RelatedLowerBound(incomplete) });
            Capture(context, decided, count);
            return;
        }

        var item = Evidence(context, path, subject, count.Certain, count.Uncertain, count.FirstError, [.. count.Matching], (int)count.Certain, count.Total, [.. count.NotMatching], blame, negated);
        evidence.Add(item);
        Capture(context, item, count);
    }

    /// <summary>The first count that does not hold gives a failing finding's message its count and matches.</summary>
    private static void Capture(EvaluationContext context, EvidenceItem item, RelatedCount count)
    {
        if (item.Satisfied || context.Facts is not { Open: true } facts)
        {
            return;
        }

        facts.RecordCount(count.Certain, count.Total);
        foreach (var candidate in count.Matched)
        {
            facts.AddMatch(context.Related!.JsonOf(candidate), candidate.Name);
        }
    }

    /// <summary>
    /// The count for the resource being evaluated. Outside counts it depends only on that resource, so
    /// it is computed once and reused by the evidence (Explain runs after Evaluate).
    /// </summary>
    private RelatedCount Count(EvaluationContext context)
    {
        if (memoizable && context.RelatedCounts.TryGetValue(this, out var known))
        {
            return known;
        }

        var matching = new List<string>();
        var notMatching = new List<string>();
        var matched = new List<SnapshotResource>();
        var (certain, uncertain, firstError, total) = CountMatches(context, matching, notMatching, matched);
        var count = new RelatedCount(certain, uncertain, firstError, matching, total, notMatching, matched);
        if (memoizable)
        {
            context.RelatedCounts[this] = count;
        }

        return count;
    }

    private string ScopeName => scope switch
    {
        RelatedScope.Children => "children",
        RelatedScope.ResourceGroup => "resourceGroup",
        RelatedScope.Subscription => "subscription",
        _ => "tenant",
    };

    private (long Certain, long Uncertain, string? FirstError, long Total) CountMatches(EvaluationContext context, List<string>? matching, List<string>? notMatching, List<SnapshotResource> matched)
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
                    context.Root = context.Related!.JsonOf(candidate);
                    result = where.Evaluate(context);
                }

                if (result == Truth.True)
                {
                    certain++;
                    if (matching is not null)
                    {
                        AddMatch(matching, (int)certain, Describe(candidate, context.TargetId));
                    }

                    if (matched.Count < Rules.MessageTemplate.MatchesShown)
                    {
                        matched.Add(candidate);
                    }
                }
                else if (result == Truth.Error)
                {
                    uncertain++;
                    firstError ??= context.LastError;
                }
                else if (notMatching is not null)
                {
                    AddMatch(notMatching, notMatching.Count + 1, Describe(candidate, context.TargetId));
                }
            }
        }
        finally
        {
            context.Root = savedRoot;
        }

        return (certain, uncertain, firstError, candidates.Count);
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

/// <summary>The result of a related count for one evaluated resource.</summary>
/// <summary>The result of a related count for one evaluated resource; <paramref name="Matched"/> holds the first matches, for messages.</summary>
internal sealed record RelatedCount(long Certain, long Uncertain, string? FirstError, List<string> Matching, long Total, List<string> NotMatching, List<SnapshotResource> Matched);
