using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>
/// Classifies the findings of a run against the last time each was seen: new, persisting, resolved,
/// regressed. Pure, one finding at a time: <see cref="RunFinalizer"/> streams the findings past it and
/// the stores only keep what it decides.
/// </summary>
/// <remarks>
/// "Last time" is the previous run of the tenant; for a finding that run does not hold, the finding's
/// stored state (written when it left the run that last held it). A problem of the previous run that is missing from this
/// one is carried into it: resolved when its scope was read (the resource is gone), persisting with
/// an error outcome when its scope failed or never reported — what could not be read is not fixed. A
/// finding of a rule this run did not evaluate is left alone. In a suspect run nothing is resolved.
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

    /// <summary>The finding's outcome the last time it was seen: in the previous run, else in its stored state.</summary>
    public static Outcome? LastOutcome(FindingKey? previous, FindingState? state) => previous?.Outcome ?? state?.LastOutcome;

    /// <summary>What to do with a finding of the previous run this run does not hold; null to leave it alone.</summary>
    public static CarryDecision? Carry(RunRecord run, FindingKey previous, ScopeLookup scopes)
    {
        if (!IsProblem(previous.Outcome) || !Evaluates(run, previous))
        {
            return null;
        }

        var scope = scopes.Find(previous.RuleId == ScanEngine.CollectionRuleId ? previous.ResourceId : previous.ScopeId);
        return new CarryDecision(previous, Resolved: scope is { Status: ScopeStatus.Ok }, scope);
    }

    /// <summary>
    /// The carried copy of a previous problem: a pass when resolved, an error when it could not be
    /// re-evaluated. In a suspect run (<paramref name="suspectReason"/>) nothing is resolved: what
    /// would be is carried as persisting, with the reason.
    /// </summary>
    public static StoredFinding Carried(CarryDecision decision, StoredFinding previous, RunRecord previousRun, string? suspectReason = null)
    {
        var before = previous.Finding;
        string reason;
        EvidenceItem evidence;
        var scopeName = SnapshotScope.Describe(decision.Scope?.Id ?? decision.Previous.ScopeId, decision.Scope?.DisplayName);
        var resolved = decision.Resolved && suspectReason is null;
        if (resolved)
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
            var why = (decision.Scope, suspectReason) switch
            {
                (_, { } suspect) => $"this run is suspect ({suspect.TrimEnd('.')}), so nothing it lacks is taken as fixed",
                ({ Status: ScopeStatus.Error } s, _) => $"{scopeName} could not be read in this run ({s.Error ?? "no reason given"})",
                ({ Status: ScopeStatus.Pending }, _) => $"{scopeName} did not report before the run was finalised",
                _ => $"{scopeName} was not part of this run",
            };
            reason = $"Not re-evaluated: {why}. It was {before.Outcome.ToWire()} in run {previousRun.RunId} ({before.Reason.TrimEnd('.')}) and is not reported as fixed.";
            evidence = new EvidenceItem("scope", decision.Scope?.Status.ToWire() ?? "missing", "ok", false, reason);
        }

        var finding = before with
        {
            Outcome = resolved ? Outcome.Pass : Outcome.Error,
            Reason = reason,
            Evidence = [evidence],
            SuppressionJustification = null,
            SuppressionExpiresOn = null,
            SuppressionId = null,
            SuppressionBroad = null,
        };
        return new StoredFinding(finding, previous.ScopeId, resolved ? HistoryStatus.Resolved : HistoryStatus.Persisting, Carried: true);
    }

    /// <summary>
    /// The state to keep for a finding of the previous run that leaves the history's window (this run
    /// neither holds nor carries it): what the previous run said of it.
    /// </summary>
    public static FindingState LeftState(RunRecord previousRun, FindingKey previous) => new()
    {
        TenantId = previousRun.TenantId,
        FindingId = previous.FindingId,
        OrderKey = previous.OrderKey,
        LastSeenAt = previousRun.StartedAt,
        LastRunId = previousRun.RunId,
        LastOutcome = previous.Outcome,
        LastStatus = previous.Status,
    };

    /// <summary>Whether the run evaluated the rule of a finding (so that its absence means something).</summary>
    public static bool Evaluates(RunRecord run, FindingKey finding)
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
}
