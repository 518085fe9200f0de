using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The notification policy of finalised runs, at most once per run: which findings are worth an
/// alert (new or regressed fails and errors at or above the threshold, the most severe first), and
/// recording the notification in the store before anything is sent, so that a second finaliser, a
/// retried message or a sweep that reaches the same run sends nothing. Its result (sent, skipped,
/// failed with the reason) is recorded on the run. Nothing here throws for a delivery problem.
/// </summary>
public sealed class RunNotifications(IReportStore store, IRunNotifier notifier, IOptions<AlertOptions> options, TimeProvider time, ILogger<RunNotifications> logger) : IRunOutput
{
    public string Name => "alert";

    /// <summary>The channel the notifier records under.</summary>
    public string Channel => notifier.Channel;

    public Task<bool> IsWrittenAsync(RunRecord run, CancellationToken cancellationToken) =>
        Task.FromResult(run.Notifications.Any(n => n.Channel == notifier.Channel));

    public async Task WriteAsync(RunRecord run, CancellationToken cancellationToken) => await NotifyAsync(run, cancellationToken);

    public Task DeleteAsync(string runId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Builds and sends the run's alert when this caller is the first to record it; returns the
    /// recorded result, or null when another caller had recorded it already.
    /// </summary>
    public async Task<NotificationDelivery?> NotifyAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (!run.IsFinalized)
        {
            throw new InvalidOperationException($"run '{run.RunId}' is not finalised: only finalised runs are alerted");
        }

        if (!await store.TryRecordNotificationAsync(run.RunId, notifier.Channel, time.GetUtcNow(), cancellationToken))
        {
            logger.LogInformation("The {Channel} notification of run {RunId} was recorded before: not sent again", notifier.Channel, run.RunId);
            return null;
        }

        NotificationStatus status;
        NotificationDelivery delivery;
        try
        {
            var alert = await BuildAsync(run, cancellationToken);
            if (alert is null)
            {
                status = NotificationStatus.Skipped;
                delivery = NotificationDelivery.Sent($"nothing to alert: no new or regressed failing finding at {options.Value.MinimumSeverity.ToWire()} or above");
            }
            else
            {
                delivery = await notifier.SendAsync(alert, cancellationToken);
                status = delivery.Status;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            status = NotificationStatus.Failed;
            delivery = NotificationDelivery.Failed($"The alert could not be built: {ex.GetType().Name}: {ex.Message}");
        }

        if (status == NotificationStatus.Failed)
        {
            logger.LogError("The {Channel} alert of run {RunId} failed: {Detail}", notifier.Channel, run.RunId, delivery.Detail);
        }
        else
        {
            logger.LogInformation("The {Channel} alert of run {RunId}: {Status}, {Detail}", notifier.Channel, run.RunId, status, delivery.Detail);
        }

        await store.RecordNotificationResultAsync(run.RunId, notifier.Channel, status, delivery.Detail, time.GetUtcNow(), cancellationToken);
        ComplianceMetrics.Notified(notifier.Channel, status.ToWire());
        return delivery;
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
        await foreach (var stored in store.ReadFindingsAsync(query, cancellationToken))
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
