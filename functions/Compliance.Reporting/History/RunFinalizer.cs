using Compliance.Core.Findings;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.History;

/// <summary>
/// Finalises a run exactly once: claims it, classifies its findings against the previous finalised
/// run of the tenant, carries over what that run had and this one lacks, and stores statuses,
/// finding states, counts and the final status. The CLI calls it at the end of a scan; the
/// Functions app when the last scope reports (or a stuck run times out).
/// </summary>
public sealed class RunFinalizer(IReportStore store, TimeProvider timeProvider, IOptions<ReportStoreOptions> options)
{
    /// <summary>
    /// Finalises the run if this caller wins the claim; returns the finalised run, or null when
    /// another caller claimed it (or it is already finalised). A run with scopes that never reported
    /// ends <see cref="RunStatus.Incomplete"/>.
    /// </summary>
    public async Task<RunRecord?> TryFinalizeAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!await store.TryClaimFinalizationAsync(runId, timeProvider.GetUtcNow(), options.Value.FinalizationLease, cancellationToken))
        {
            return null;
        }

        var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        var previousRun = (await store.ListRunsAsync(
            new RunQuery { TenantId = run.TenantId, Statuses = RunQuery.Finalized, StartedBefore = run.StartedAt, Limit = 1 },
            cancellationToken)).FirstOrDefault();

        var current = await store.ListFindingKeysAsync(runId, cancellationToken);
        var previous = previousRun is null ? [] : await store.ListFindingKeysAsync(previousRun.RunId, cancellationToken);
        var allIds = current.Select(k => k.FindingId)
            .Concat(previous.Where(k => HistoryClassifier.IsProblem(k.Outcome)).Select(k => k.FindingId))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var states = await store.GetFindingStatesAsync(run.TenantId, allIds, cancellationToken);
        var classification = HistoryClassifier.Classify(run, current, previous, states);

        var carried = new List<StoredFinding>();
        if (previousRun is not null && classification.Carry.Count > 0)
        {
            var originals = (await store.GetFindingsAsync(previousRun.RunId, classification.Carry.Select(c => c.Previous.FindingId).ToList(), cancellationToken))
                .ToDictionary(f => f.Finding.FindingId, StringComparer.Ordinal);
            foreach (var decision in classification.Carry)
            {
                if (originals.TryGetValue(decision.Previous.FindingId, out var original))
                {
                    carried.Add(HistoryClassifier.Carry(decision, original, previousRun));
                }
            }
        }

        var finishedAt = timeProvider.GetUtcNow();
        var evaluated = current.Where(k => !k.Carried).ToList();
        var statusById = classification.Statuses.ToDictionary(s => s.FindingId, s => s.Status, StringComparer.Ordinal);
        var finalStates = NewStates(run, evaluated, statusById, carried, states);
        var counts = Count(evaluated, statusById, carried);
        var finalization = new RunFinalization
        {
            RunId = runId,
            Status = run.AllScopesDone ? RunStatus.Completed : RunStatus.Incomplete,
            FinishedAt = finishedAt,
            PreviousRunId = previousRun?.RunId,
            Counts = counts,
            Statuses = classification.Statuses,
            Carried = carried,
            States = finalStates,
        };
        await store.FinalizeRunAsync(finalization, cancellationToken);
        return await store.GetRunAsync(runId, cancellationToken);
    }

    private static RunCounts Count(List<FindingKey> evaluated, Dictionary<string, HistoryStatus?> statuses, List<StoredFinding> carried)
    {
        var all = statuses.Values.Concat(carried.Select(c => c.Status)).ToList();
        return new RunCounts
        {
            Total = evaluated.Count,
            Pass = evaluated.Count(k => k.Outcome == Outcome.Pass),
            Fail = evaluated.Count(k => k.Outcome == Outcome.Fail),
            Error = evaluated.Count(k => k.Outcome == Outcome.Error),
            Suppressed = evaluated.Count(k => k.Outcome == Outcome.Suppressed),
            New = all.Count(s => s == HistoryStatus.New),
            Persisting = all.Count(s => s == HistoryStatus.Persisting),
            Resolved = all.Count(s => s == HistoryStatus.Resolved),
            Regressed = all.Count(s => s == HistoryStatus.Regressed),
            Carried = carried.Count,
        };
    }

    private static List<FindingState> NewStates(
        RunRecord run,
        List<FindingKey> evaluated,
        Dictionary<string, HistoryStatus?> statuses,
        List<StoredFinding> carried,
        IReadOnlyDictionary<string, FindingState> existing)
    {
        var result = new List<FindingState>(evaluated.Count + carried.Count);
        var seen = evaluated.Select(k => (k.FindingId, k.RuleId, k.ResourceId, k.Outcome, Status: statuses.GetValueOrDefault(k.FindingId)))
            .Concat(carried.Select(c => (c.Finding.FindingId, c.Finding.RuleId, c.Finding.ResourceId, c.Finding.Outcome, c.Status)));
        foreach (var (findingId, ruleId, resourceId, outcome, status) in seen)
        {
            var old = existing.GetValueOrDefault(findingId);

            // Finalising the same run again must not lose what came before it.
            var (priorRun, priorOutcome) = old is null ? (null, (Outcome?)null)
                : old.LastRunId == run.RunId ? (old.PriorRunId, old.PriorOutcome)
                : (old.LastRunId, old.LastOutcome);
            result.Add(new FindingState
            {
                TenantId = run.TenantId,
                FindingId = findingId,
                RuleId = ruleId,
                ResourceId = resourceId,
                FirstSeenAt = old is null || old.FirstSeenAt > run.StartedAt ? run.StartedAt : old.FirstSeenAt,
                LastSeenAt = run.StartedAt,
                LastRunId = run.RunId,
                LastOutcome = outcome,
                LastStatus = status,
                PriorRunId = priorRun,
                PriorOutcome = priorOutcome,
            });
        }

        return result;
    }
}
