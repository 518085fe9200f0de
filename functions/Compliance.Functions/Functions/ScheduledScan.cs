using Compliance.Functions.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>The schedule (app setting "ScanSchedule", NCRONTAB): starts a run and fans it out, one queue message per scope.</summary>
public sealed class ScheduledScan(RunStarter starter, ILogger<ScheduledScan> logger)
{
    [Function(nameof(ScheduledScan))]
    [QueueOutput(ScopeQueue.Name)]
    public async Task<string[]> RunAsync([TimerTrigger("%ScanSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            logger.LogWarning("The scheduled scan is running late (past due: the app was stopped or busy at its scheduled time; last run {Last:u})", timer.ScheduleStatus?.Last);
        }

        var (run, messages) = await starter.StartAsync(timer.IsPastDue ? "timer (past due)" : "timer", cancellationToken);
        logger.LogInformation("Run {RunId}: {Count} scope message(s) enqueued on {Queue}", run.RunId, messages.Count, ScopeQueue.Name);
        return messages.Select(m => m.ToJson()).ToArray();
    }
}
