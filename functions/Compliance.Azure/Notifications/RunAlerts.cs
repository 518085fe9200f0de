using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Notifications;

/// <summary>
/// The alert of a finalised run, at most once: the notification is recorded in the store before
/// anything is sent, so a second finaliser, a retried message or a sweep that reaches the same run
/// sends nothing; its result (sent, skipped, failed with the reason) is recorded on the run.
/// Nothing here throws for a delivery problem: a failing alert never fails the scan.
/// </summary>
public sealed class RunAlerts(IReportStore store, IRunNotifier notifier, IOptions<AlertOptions> options, TimeProvider time, ILogger<RunAlerts> logger)
{
    /// <summary>The channel the notifier records under.</summary>
    public string Channel => notifier.Channel;

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
        Telemetry.ComplianceMetrics.Notified(notifier.Channel, StoreJson.Wire(status));
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
            PageSize = 1000,
        };
        var count = 0;
        var bySeverity = new Dictionary<Severity, int>();
        var byCategory = new Dictionary<RuleCategory, int>();
        var top = new List<StoredFinding>();
        do
        {
            var page = await store.ListFindingsAsync(query, cancellationToken);
            foreach (var stored in page.Findings)
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

            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);

        return count == 0 ? null : new RunAlert
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
