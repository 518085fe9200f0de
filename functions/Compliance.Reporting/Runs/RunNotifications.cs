using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The notification policy of finalised runs, at most once per run (<see cref="OncePerRunOutput"/>:
/// recorded in the store before anything is sent): which findings are worth an alert (new or
/// regressed fails and errors at or above the threshold, the most severe first). Its result (sent,
/// accepted, skipped, failed with the reason) is recorded on the run under the notifier's channel.
/// </summary>
public sealed class RunNotifications(IReportStore store, IRunNotifier notifier, IOptions<AlertOptions> options, TimeProvider time, ILogger<RunNotifications> logger)
    : OncePerRunOutput(store, time, logger)
{
    public override string Name => "alert";

    /// <summary>The channel the notifier records under.</summary>
    public override string Channel => notifier.Channel;

    protected override async Task<NotificationDelivery> DeliverAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var alert = await BuildAsync(run, cancellationToken);
        return alert is null
            ? NotificationDelivery.Skipped($"nothing to alert: no new or regressed failing finding at {options.Value.MinimumSeverity.ToWire()} or above")
            : await notifier.SendAsync(alert, cancellationToken);
    }

    protected override string FailureDetail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"The alert could not be built: {exception.GetType().Name}: {exception.Message}";
    }

    /// <summary>The alert of a run, or null when it has no new or regressed failing (or error) finding at or above the threshold.</summary>
    public async Task<RunAlert?> BuildAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var query = new FindingQuery
        {
            RunId = run.RunId,
            Statuses = [HistoryStatus.New, HistoryStatus.Regressed],
            Outcomes = [Outcome.Fail, Outcome.Error],
            Severities = Enum.GetValues<Severity>().Where(s => s >= settings.MinimumSeverity).ToList(),
            IncludeCarried = false,
        };
        var count = 0;
        var bySeverity = new Dictionary<Severity, int>();
        var byCategory = new Dictionary<RuleCategory, int>();
        var top = new List<StoredFinding>();
        await foreach (var stored in Store.ReadFindingsAsync(query, cancellationToken))
        {
            count++;
            bySeverity[stored.Finding.Severity] = bySeverity.GetValueOrDefault(stored.Finding.Severity) + 1;
            byCategory[stored.Finding.Category] = byCategory.GetValueOrDefault(stored.Finding.Category) + 1;
            top.Add(stored);
            if (top.Count > settings.TopFindings * 4)
            {
                top = Rank(top).Take(settings.TopFindings).ToList();
            }
        }

        return count == 0 && run.Status != RunStatus.Suspect ? null : new RunAlert
        {
            Run = run,
            MinimumSeverity = settings.MinimumSeverity,
            Count = count,
            BySeverity = bySeverity,
            ByCategory = byCategory,
            Top = Rank(top).Take(settings.TopFindings).ToList(),
            FindingsUrl = settings.FindingsUrlFor(run.RunId),
        };
    }

    private static IEnumerable<StoredFinding> Rank(IEnumerable<StoredFinding> findings) =>
        findings
            .OrderByDescending(f => f.Finding.Severity)
            .ThenBy(f => f.Status == HistoryStatus.Regressed ? 0 : 1)
            .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Finding.ResourceName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(f => f.Finding.FindingId, StringComparer.Ordinal);
}
