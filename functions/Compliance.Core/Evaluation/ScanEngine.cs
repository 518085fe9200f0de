using System.Runtime.CompilerServices;
using Compliance.Core.Conditions;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Evaluation;

/// <summary>
/// Evaluates compiled rules against a snapshot as it streams. Rules that count related resources
/// wait until the whole snapshot is read (only their resources and the related types stay in
/// memory); every other finding is produced as soon as its resource is read. In a scope the
/// collector could not read completely, a fail stands but a pass becomes an error ("passes on what
/// was read"): the scopes are read ahead of the resources when the snapshot can be read twice (a
/// file), since a streaming collector writes them last.
/// </summary>
public sealed class ScanEngine(TimeProvider timeProvider)
{
    /// <summary>The rule id of the finding that reports a scope the collector could not read.</summary>
    public const string CollectionRuleId = "COLLECTION-SCOPE";

    public async IAsyncEnumerable<Finding> ScanAsync(
        SnapshotReader snapshot,
        CompiledRuleSet rules,
        ScanOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new ScanOptions();

        // Which scopes failed must be known before the first resource is judged: a pass in such a scope is not compliant.
        await snapshot.ReadScopesAheadAsync(cancellationToken).ConfigureAwait(false);
        var failed = new FailedScopes(snapshot.Header);
        using var related = new RelatedIndex(rules.RelatedTypes);
        var deferred = new List<Deferred>();
        var waiting = new List<SnapshotResource>();
        var sharedStrings = new HashSet<string>(StringComparer.Ordinal);
        EvaluationContext? context = null;
        try
        {
            await foreach (var resource in ReadAheadAsync(snapshot, cancellationToken).ConfigureAwait(false))
            {
                // The header (collectedAt) precedes the resources, so the clock is known here.
                context ??= NewContext(snapshot, options, related);
                if (related.Wants(resource.Type))
                {
                    related.Add(resource, rules.KeptPathsFor(resource.Type, forWaitingRules: false));
                }

                var (now, later) = rules.SplitForType(resource.Type);
                var failedScope = failed.Of(resource);
                foreach (var rule in now)
                {
                    if (Evaluate(context, rule, resource, options) is { } finding)
                    {
                        yield return failedScope is null ? finding : InFailedScope(finding, failedScope);
                    }
                }

                // A resource whose rules wait is read again at the end when the snapshot is a file;
                // otherwise it waits in memory, reduced to what those rules read.
                var waitsInMemory = later.Length > 0 && !snapshot.CanReread;
                if (later.Length > 0)
                {
                    deferred.Add(new Deferred(resource.Offset, resource.Length, resource.Line, later));
                }

                if (waitsInMemory)
                {
                    resource.Reduce(rules.KeptPathsFor(resource.Type, forWaitingRules: true).Reduce, sharedStrings);
                    waiting.Add(resource);
                }
                else
                {
                    resource.Dispose();
                }
            }

            context ??= NewContext(snapshot, options, related);
            var failedScopes = snapshot.Header.Scopes.Where(s => s.IsError).ToList();
            failed = new FailedScopes(snapshot.Header);

            // A related count over a scope that could not be read is a lower bound; it decides only
            // when the unread resources could not change the verdict (RelatedLeaf).
            context.IncompleteScopes = new IncompleteScopes(failedScopes);
            context.Uncollected = snapshot.Header.Uncollected
                .GroupBy(u => u.Type, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.OrdinalIgnoreCase);
            await foreach (var (item, resource) in WaitingResourcesAsync(snapshot, deferred, waiting, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    foreach (var rule in item.Rules)
                    {
                        var finding = Evaluate(context, rule, resource, options);
                        if (finding is not null && failed.Of(resource) is { } failedScope)
                        {
                            // The related count has decided what it could as a lower bound; a pass of a
                            // resource in a scope that was not read completely is still not compliant.
                            finding = InFailedScope(finding, failedScope);
                        }

                        if (finding is not null)
                        {
                            yield return finding;
                        }
                    }
                }
                finally
                {
                    resource.Dispose();
                }
            }

            foreach (var scope in failedScopes)
            {
                yield return ScopeErrorFinding(scope, rules);
            }
        }
        finally
        {
            foreach (var resource in waiting)
            {
                resource.Dispose();
            }
        }
    }

    /// <summary>How many parsed resources may wait between the reader and the evaluation.</summary>
    private const int ReadAhead = 64;

    /// <summary>
    /// The snapshot's resources, parsed on another thread while the rules of the previous ones are
    /// evaluated: reading and evaluating overlap, and at most <see cref="ReadAhead"/> resources wait
    /// in between, so memory stays flat.
    /// </summary>
    private static IAsyncEnumerable<SnapshotResource> ReadAheadAsync(SnapshotReader snapshot, CancellationToken cancellationToken) =>
        Ahead.RunAsync<SnapshotResource>(
            ReadAhead,
            async (writer, token) =>
            {
                await foreach (var resource in snapshot.ReadResourcesAsync(token).ConfigureAwait(false))
                {
                    await Ahead.WriteOrReleaseAsync(writer, resource, r => r.Dispose(), token).ConfigureAwait(false);
                }
            },
            resource => resource.Dispose(),
            cancellationToken);

    /// <summary>
    /// The resources whose rules waited, in snapshot order: read again from the file on another thread
    /// (ahead of their evaluation), or the reduced copies kept in memory when the snapshot cannot be
    /// read twice.
    /// </summary>
    private static async IAsyncEnumerable<(Deferred Item, SnapshotResource Resource)> WaitingResourcesAsync(
        SnapshotReader snapshot,
        List<Deferred> deferred,
        List<SnapshotResource> waiting,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!snapshot.CanReread)
        {
            for (var i = 0; i < deferred.Count; i++)
            {
                yield return (deferred[i], waiting[i]);
            }

            yield break;
        }

        var reread = Ahead.RunAsync<(Deferred Item, SnapshotResource Resource)>(
            ReadAhead,
            async (writer, token) =>
            {
                foreach (var item in deferred)
                {
                    var resource = await snapshot.RereadAsync(item.Offset, item.Length, item.Line, token).ConfigureAwait(false);
                    await Ahead.WriteOrReleaseAsync<(Deferred Item, SnapshotResource Resource)>(writer, (item, resource), pair => pair.Resource.Dispose(), token).ConfigureAwait(false);
                }
            },
            pair => pair.Resource.Dispose(),
            cancellationToken);
        await foreach (var pair in reread.ConfigureAwait(false))
        {
            yield return pair;
        }
    }

    private EvaluationContext NewContext(SnapshotReader snapshot, ScanOptions options, RelatedIndex related) =>
        new(options.AsOf ?? snapshot.Header.CollectedAt ?? timeProvider.GetUtcNow(), related) { TenantId = snapshot.Header.TenantId, Names = SnapshotNames.Of(snapshot.Header) };

    /// <summary>Evaluates one rule on one resource; null when the rule's where excludes the resource.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static Finding? Evaluate(EvaluationContext context, CompiledRule rule, SnapshotResource resource, ScanOptions options)
    {
        try
        {
            context.Reset(resource);
            if (rule.Where is not null)
            {
                var applies = rule.Where.Evaluate(context);
                if (applies == Truth.False)
                {
                    return null;
                }

                if (applies == Truth.Error)
                {
                    var whereEvidence = new List<EvidenceItem>();
                    rule.Where.Explain(context, Truth.Error, false, whereEvidence);
                    return NewFinding(rule, resource, Outcome.Error, "Could not decide whether the rule applies: " + Reasons.Summarize(Outcome.Error, whereEvidence), whereEvidence);
                }
            }

            var result = rule.Condition.Evaluate(context);
            var outcome = result switch
            {
                Truth.True => Outcome.Pass,
                Truth.False => Outcome.Fail,
                _ => Outcome.Error,
            };
            if (outcome == Outcome.Pass && !options.PassEvidence)
            {
                return NewFinding(rule, resource, outcome, rule.PassReason, []);
            }

            var evidence = new List<EvidenceItem>();
            var template = outcome == Outcome.Fail ? rule.Rule.Message : null;
            if (template is not null)
            {
                (context.Facts ??= new MessageFacts()).Reset(template);
            }

            MessageFacts? facts;
            try
            {
                rule.Condition.Explain(context, result, false, evidence);
            }
            finally
            {
                facts = context.Facts;
                context.Facts = null;
            }

            var reason = outcome == Outcome.Pass && evidence.Count == 0 ? rule.PassReason : Reasons.Summarize(outcome, evidence);
            var finding = NewFinding(rule, resource, outcome, reason, evidence);
            if (outcome == Outcome.Error)
            {
                return context.ErrorMessage is { } notAssessed ? finding with { Message = notAssessed } : finding;
            }

            return template is null ? finding : finding with { Message = RenderMessage(template, context, resource, facts!, evidence) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in a rule or the engine must not stop the scan, nor pass silently.
            return NewFinding(rule, resource, Outcome.Error, $"Internal error while evaluating the rule: {ex.GetType().Name}: {ex.Message}", []);
        }
    }

    /// <summary>A failing finding's message: its rule's template filled from the resource and the evidence.</summary>
    private static string RenderMessage(Rules.MessageTemplate template, EvaluationContext context, SnapshotResource resource, MessageFacts facts, List<EvidenceItem> evidence)
    {
        var leaf = evidence.FirstOrDefault(e => !e.Satisfied);
        var observed = leaf?.Observed is { Length: >= 2 } text && text[0] == '\'' && text[^1] == '\'' ? text[1..^1] : leaf?.Observed;
        var input = new MessageInput(resource.Json, resource.Id, resource.Name, resource.SubscriptionId, facts, observed == "missing" ? "not set" : observed, leaf?.Expected, context.Names);
        return template.Render(input);
    }

    private static Finding NewFinding(CompiledRule rule, SnapshotResource resource, Outcome outcome, string reason, IReadOnlyList<EvidenceItem> evidence) => new()
    {
        FindingId = FindingId.ComputeNormalized(rule.IdKey, resource.IdKey),
        RuleId = rule.Rule.Id,
        RuleTitle = rule.Rule.Title,
        PackId = rule.Pack.Id,
        PackVersion = rule.Pack.Version,
        ResourceId = resource.Id,
        ResourceName = resource.Name,
        ResourceType = resource.Type,
        Location = resource.Location,
        SubscriptionId = resource.SubscriptionId,
        Tags = TagsOf(resource),
        Outcome = outcome,
        Severity = rule.Rule.Severity,
        Category = rule.Rule.Category,
        Reason = reason,
        Evidence = evidence,
        Controls = rule.Rule.Controls,
        Remediation = rule.Rule.Remediation,
    };

    private static Dictionary<string, string>? TagsOf(SnapshotResource resource)
    {
        if (!resource.Json.TryGetProperty("tags", out var tags) || tags.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in tags.EnumerateObject())
        {
            result[tag.Name] = tag.Value.ValueKind == System.Text.Json.JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>
    /// A finding on a resource of a scope the collector could not read completely: a fail stands
    /// (what was read fails), but a pass is not compliant — other parts of the resource's scope, or
    /// the resource's own children, may be missing. It becomes an error whose reason says it passes
    /// on what was read.
    /// </summary>
    public static Finding InFailedScope(Finding finding, SnapshotScope scope)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(scope);
        if (finding.Outcome != Outcome.Pass)
        {
            return finding;
        }

        var message = $"Unconfirmed: passes on what was read, but {scope.Describe()} could not be read completely ({scope.Error ?? "no reason given"}), so it is not reported as compliant.";
        var evidence = new EvidenceItem($"scopes['{scope.Id}'].status", "error", "ok", false, message);
        return finding with
        {
            Outcome = Outcome.Error,
            Reason = message,
            Message = $"Not confirmed: passes on what was read, but {Reasons.ScopeInWords(scope)} could not be read completely",
            Evidence = [.. finding.Evidence, evidence],
        };
    }

    /// <summary>
    /// The finding that reports a scope the collector could not read (or whose scan failed): an error,
    /// carrying the controls of every rule the failure hides, so that nothing in the scope is reported
    /// as compliant.
    /// </summary>
    public static Finding ScopeErrorFinding(SnapshotScope scope, CompiledRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(rules);
        var isTenant = scope.IsTenant;

        // The finding carries the controls of every rule the failure hides, so that an auditor's
        // control view shows them as not assessed for this scope.
        var controls = rules.Rules
            .Where(r => r.Rule.ResourceTypes.Any(t => ResourceIds.IsGraphType(t) == isTenant))
            .SelectMany(r => r.Rule.Controls)
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(c => c.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var message = $"{Reasons.Scope(scope)} could not be collected completely: {scope.Error ?? "no reason given"}. Resources read from it that fail are reported as failing; nothing in it is reported as compliant.";
        return new Finding
        {
            FindingId = FindingId.Compute(CollectionRuleId, scope.Id),
            RuleId = CollectionRuleId,
            RuleTitle = "Every scope of the tenant is collected",
            PackId = "engine",
            PackVersion = "1",
            ResourceId = scope.Id,
            ResourceName = scope.DisplayName ?? ResourceIds.LastSegment(scope.Id),
            ResourceType = isTenant ? ResourceIds.OrganizationType : ResourceIds.SubscriptionType,
            SubscriptionId = ResourceIds.SubscriptionOf(scope.Id),
            Outcome = Outcome.Error,
            Severity = Severity.High,
            Category = RuleCategory.Collection,
            Reason = message,
            Message = $"Not assessed: {Reasons.ScopeInWords(scope)} could not be read ({scope.Error ?? "no reason given"})",
            Evidence = [new EvidenceItem($"scopes['{scope.Id}'].status", "error", "ok", false, message)],
            Controls = controls,
            Remediation = isTenant
                ? "Grant the scanner's identity the Microsoft Graph application permissions listed in the README, then scan again."
                : "Grant the scanner's identity the Reader role on the subscription (or its management group), then scan again.",
        };
    }

    /// <summary>
    /// The failed scopes of a snapshot, found per resource in constant time: subscriptions by id, the
    /// directory for Graph objects, other scopes (management groups) by prefix.
    /// </summary>
    private sealed class FailedScopes
    {
        private readonly Dictionary<string, SnapshotScope> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<SnapshotScope> _others = [];
        private SnapshotScope? _tenant;

        public FailedScopes(SnapshotHeader header)
        {
            foreach (var scope in header.Scopes.Where(s => s.IsError))
            {
                if (scope.IsTenant)
                {
                    _tenant ??= scope;
                }
                else if (ResourceIds.SubscriptionOf(scope.Id) is { } subscription && ResourceIds.SubscriptionScopeId(subscription).Equals(scope.Id, StringComparison.OrdinalIgnoreCase))
                {
                    _subscriptions[subscription] = scope;
                }
                else
                {
                    _others.Add(scope);
                }
            }
        }

        public SnapshotScope? Of(SnapshotResource resource)
        {
            if (resource.IsGraphObject)
            {
                return _tenant;
            }

            if (resource.SubscriptionId is { } subscription && _subscriptions.TryGetValue(subscription, out var scope))
            {
                return scope;
            }

            foreach (var other in _others)
            {
                if (ResourceIds.IsWithin(resource.Id, other.Id))
                {
                    return other;
                }
            }

            return null;
        }
    }

    /// <summary>A resource whose rules wait: where to read it again (or, when the snapshot cannot be read twice, its place among the waiting).</summary>
    private readonly record struct Deferred(long Offset, int Length, long Line, CompiledRule[] Rules);
}
