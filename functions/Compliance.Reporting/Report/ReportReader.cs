using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Controls;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Report;

/// <summary>
/// Reads what the report needs from the store: the run's findings in one streamed pass (counts, the
/// control matrix, the problems and what was resolved — passes are counted, not kept), and the
/// tenant's recent runs for the trend.
/// </summary>
internal sealed class ReportReader(IReportStore store, ControlCatalog catalog)
{
    /// <summary>How many runs the trend shows, this one included.</summary>
    public const int TrendRuns = 12;

    public async Task<ReportData> ReadAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var outcomes = new Dictionary<Outcome, int>();
        var problems = new Dictionary<(Severity, RuleCategory), int>();
        var suppressed = new Dictionary<Severity, int>();
        var statuses = new Dictionary<HistoryStatus, int>();
        var resources = new HashSet<long>();
        var withProblems = new HashSet<long>();
        var matrix = new ControlMatrix();
        var problemFindings = new List<StoredFinding>();
        var resolved = new List<StoredFinding>();
        string? tenantName = null;
        await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
        {
            var f = stored.Finding;
            if (stored.Status is { } status)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }

            if (stored.Status == HistoryStatus.Resolved)
            {
                resolved.Add(stored);
            }

            if (f.Outcome != Outcome.Pass)
            {
                problemFindings.Add(stored);
            }

            if (stored.Carried)
            {
                continue;
            }

            matrix.Add(stored);
            if (tenantName is null && string.Equals(f.ResourceType, ResourceIds.OrganizationType, StringComparison.OrdinalIgnoreCase))
            {
                tenantName = f.ResourceName;
            }

            outcomes[f.Outcome] = outcomes.GetValueOrDefault(f.Outcome) + 1;
            var key = ResourceMeta.KeyOf(f.ResourceId);
            resources.Add(key);
            if (f.Outcome is Outcome.Fail or Outcome.Error)
            {
                problems[(f.Severity, f.Category)] = problems.GetValueOrDefault((f.Severity, f.Category)) + 1;
                withProblems.Add(key);
            }
            else if (f.Outcome == Outcome.Suppressed)
            {
                suppressed[f.Severity] = suppressed.GetValueOrDefault(f.Severity) + 1;
            }
        }

        var trend = await store.ListRunsAsync(
            new RunQuery { TenantId = run.TenantId, Statuses = RunStatuses.Finalized, StartedBefore = run.StartedAt.AddTicks(1), Limit = TrendRuns },
            cancellationToken);
        return new ReportData
        {
            Run = run,
            Trend = trend.Count == 0 ? [run] : trend.Reverse().ToList(),
            Outcomes = outcomes,
            Problems = problems,
            SuppressedBySeverity = suppressed,
            Statuses = statuses,
            TenantName = tenantName,
            Resources = resources.Count,
            ResourcesWithProblems = withProblems.Count,
            Frameworks = ControlSummary.Of(matrix.Rows(), catalog),
            ProblemFindings = problemFindings
                .OrderByDescending(p => p.Finding.Severity)
                .ThenBy(p => p.Finding.RuleId, StringComparer.Ordinal)
                .ThenBy(p => OutcomeOrder(p.Finding.Outcome))
                .ThenBy(p => p.Finding.ResourceName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(p => p.Finding.ResourceId, StringComparer.Ordinal)
                .ToList(),
            ResolvedFindings = resolved
                .OrderByDescending(p => p.Finding.Severity)
                .ThenBy(p => p.Finding.RuleId, StringComparer.Ordinal)
                .ThenBy(p => p.Finding.ResourceName, StringComparer.OrdinalIgnoreCase)
                .ToList(),
        };
    }

    private static int OutcomeOrder(Outcome outcome) => outcome switch
    {
        Outcome.Fail => 0,
        Outcome.Error => 1,
        Outcome.Suppressed => 2,
        _ => 3,
    };
}
