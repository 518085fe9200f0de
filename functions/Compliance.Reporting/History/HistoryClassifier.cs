using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>
/// Classifies the findings of a run against the last time each was seen: new, persisting, resolved,
/// regressed. Pure: the stores only keep what it decides.
/// </summary>
/// <remarks>
/// "Last time" is the previous finalised run of the tenant; for a finding that run does not hold,
/// the finding's stored state (the last run that saw it). A problem of the previous run that is
/// missing from this one is carried into it: resolved when its scope was read (the resource is
/// gone), persisting with an error outcome when its scope failed or never reported — what could
/// not be read is not fixed. A finding of a rule this run did not evaluate is left alone.
/// </remarks>
public static class HistoryClassifier
{
    public static bool IsProblem(Outcome outcome) => outcome is Outcome.Fail or Outcome.Error or Outcome.Suppressed;

    /// <summary>The status of a finding evaluated in this run, given its outcome last time (null: not seen).</summary>
    public static HistoryStatus? StatusOf(Outcome current, Outcome? last) => (current, last) switch
    {
        (Outcome.Pass, { } before) when IsProblem(before) => HistoryStatus.Resolved,
        (Outcome.Pass, _) => null,
        (Outcome.Fail or Outcome.Suppressed, Outcome.Pass) => HistoryStatus.Regressed,
        (_, { } before) when IsProblem(before) => HistoryStatus.Persisting,

        // An error after a pass is a new problem, not a regression: nothing says the resource got worse.
        _ => HistoryStatus.New,
    };

    /// <summary>
    /// Decides each evaluated finding's status and which findings of the previous run to carry over.
    /// </summary>
    /// <param name="run">The run being finalised (its scopes, rules and packs).</param>
    /// <param name="current">The findings the run holds (carried ones from an earlier attempt are ignored).</param>
    /// <param name="previous">The previous finalised run's findings, or empty.</param>
    /// <param name="states">Stored states of findings the previous run does not hold.</param>
    public static Classification Classify(
        RunRecord run,
        IReadOnlyList<FindingKey> current,
        IReadOnlyList<FindingKey> previous,
        IReadOnlyDictionary<string, FindingState> states)
    {
        var previousById = previous.ToDictionary(k => k.FindingId, StringComparer.Ordinal);
        var statuses = new List<FindingStatusUpdate>(current.Count);
        var evaluated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in current.Where(k => !k.Carried))
        {
            evaluated.Add(key.FindingId);
            var last = previousById.TryGetValue(key.FindingId, out var before) ? before.Outcome : LastOutcome(run.RunId, states.GetValueOrDefault(key.FindingId));
            statuses.Add(new FindingStatusUpdate(key.FindingId, StatusOf(key.Outcome, last)));
        }

        var carry = new List<CarryDecision>();
        foreach (var before in previous)
        {
            if (evaluated.Contains(before.FindingId) || !IsProblem(before.Outcome) || !Evaluates(run, before))
            {
                continue;
            }

            var scope = before.RuleId == ScanEngine.CollectionRuleId ? run.FindScope(before.ResourceId) : run.FindScope(before.ScopeId);
            carry.Add(new CarryDecision(before, Resolved: scope is { Status: ScopeStatus.Ok }, scope));
        }

        return new Classification(statuses, carry);
    }

    /// <summary>The carried copy of a previous problem: a pass when resolved, an error when it could not be re-evaluated.</summary>
    public static StoredFinding Carry(CarryDecision decision, StoredFinding previous, RunRecord previousRun)
    {
        var before = previous.Finding;
        string reason;
        EvidenceItem evidence;
        var scopeName = Describe(decision.Scope, decision.Previous.ScopeId);
        if (decision.Resolved)
        {
            reason = before.RuleId == ScanEngine.CollectionRuleId
                ? $"Resolved: {scopeName} was read in this run (it could not be read in run {previousRun.RunId})."
                : $"Resolved: the resource is no longer in {scopeName}, which this run read (deleted, or the rule no longer applies to it); it was {before.Outcome.ToWire()} in run {previousRun.RunId}.";
            evidence = new EvidenceItem("resource", "missing", "present", true, reason);
        }
        else if (previous.Carried && before.Outcome == Outcome.Error)
        {
            // Still not re-evaluated: keep the reason that names the run where it was last evaluated.
            reason = before.Reason;
            evidence = before.Evidence.FirstOrDefault() ?? new EvidenceItem("scope", "error", "ok", false, reason);
        }
        else
        {
            var why = decision.Scope switch
            {
                { Status: ScopeStatus.Error } s => $"{scopeName} could not be read in this run ({s.Error ?? "no reason given"})",
                { Status: ScopeStatus.Pending } => $"{scopeName} did not report before the run was finalised",
                _ => $"{scopeName} was not part of this run",
            };
            reason = $"Not re-evaluated: {why}. It was {before.Outcome.ToWire()} in run {previousRun.RunId} ({before.Reason.TrimEnd('.')}) and is not reported as fixed.";
            evidence = new EvidenceItem("scope", decision.Scope?.Status.ToString().ToLowerInvariant() ?? "missing", "ok", false, reason);
        }

        var finding = before with
        {
            Outcome = decision.Resolved ? Outcome.Pass : Outcome.Error,
            Reason = reason,
            Evidence = [evidence],
            SuppressionJustification = null,
            SuppressionExpiresOn = null,
        };
        return new StoredFinding(finding, previous.ScopeId, decision.Resolved ? HistoryStatus.Resolved : HistoryStatus.Persisting, Carried: true);
    }

    /// <summary>The finding's outcome the last time a run other than <paramref name="runId"/> saw it.</summary>
    private static Outcome? LastOutcome(string runId, FindingState? state) =>
        state is null ? null : state.LastRunId == runId ? state.PriorOutcome : state.LastOutcome;

    /// <summary>Whether the run evaluated the rule of a finding (so that its absence means something).</summary>
    private static bool Evaluates(RunRecord run, FindingKey finding)
    {
        if (finding.RuleId == ScanEngine.CollectionRuleId)
        {
            return true;
        }

        if (run.RuleIds.Count > 0)
        {
            return run.RuleIds.Contains(finding.RuleId, StringComparer.OrdinalIgnoreCase);
        }

        return run.Packs.Count == 0 || run.Packs.Any(p => string.Equals(p.Id, finding.PackId, StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(RunScope? scope, string scopeId)
    {
        var id = scope?.Id ?? scopeId;
        var kind = id.StartsWith("/tenants/", StringComparison.OrdinalIgnoreCase) ? "the Entra ID directory" : "subscription";
        return scope?.DisplayName is { } name ? $"{kind} '{name}' ({id})" : $"{kind} {id}";
    }
}
