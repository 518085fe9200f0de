using Compliance.Core.Findings;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;

namespace Compliance.Reporting.Runs;

/// <summary>
/// A run output delivered at most once per run — the Teams alert, the Log Analytics export: the caller
/// that records the output's channel on the run first (the store's notification record, a conditional
/// insert made before anything is sent) delivers it; a second finaliser, a retried message or a sweep
/// that reaches the same run sends nothing. The result — sent, accepted, skipped, or failed with a
/// sentence saying why — is recorded on the run and counted in <see cref="ComplianceMetrics.Notifications"/>.
/// A delivery problem is recorded, never thrown; an output whose finaliser died before recording it
/// is written by the sweep (<see cref="RunOutputs.WriteMissingAsync"/>), one recorded but never
/// finished is not sent again.
/// </summary>
public abstract class OncePerRunOutput(IReportStore store, TimeProvider time, ILogger logger) : IRunOutput
{
    /// <summary>The report store the output is recorded in (and reads the run's findings from).</summary>
    protected IReportStore Store => store;

    /// <summary>For logs: "alert", "Log Analytics export".</summary>
    public abstract string Name { get; }

    /// <summary>The channel the run records the output under ("teams", "log", "log-analytics").</summary>
    public abstract string Channel { get; }

    public Task<bool> IsWrittenAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Task.FromResult(run.Notifications.Any(n => n.Channel == Channel));
    }

    public async Task WriteAsync(RunRecord run, CancellationToken cancellationToken) => await DeliverOnceAsync(run, cancellationToken);

    public virtual Task DeleteAsync(string runId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Delivers the run's output when this caller is the first to record it; returns the recorded
    /// result, or null when another caller had recorded it already.
    /// </summary>
    public async Task<NotificationDelivery?> DeliverOnceAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsFinalized)
        {
            throw new InvalidOperationException($"run '{run.RunId}' is not finalised: the {Name} is written for finalised runs only");
        }

        if (!await store.TryRecordNotificationAsync(run.RunId, Channel, time.GetUtcNow(), cancellationToken))
        {
            logger.LogInformation("The {Channel} output of run {RunId} was recorded before: not sent again", Channel, run.RunId);
            return null;
        }

        NotificationDelivery delivery;
        try
        {
            delivery = await DeliverAsync(run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            delivery = NotificationDelivery.Failed(FailureDetail(ex));
        }

        if (delivery.Status == NotificationStatus.Failed)
        {
            logger.LogError("The {Channel} output of run {RunId} failed: {Detail}", Channel, run.RunId, delivery.Detail);
        }
        else
        {
            logger.LogInformation("The {Channel} output of run {RunId}: {Status}, {Detail}", Channel, run.RunId, delivery.Status, delivery.Detail);
        }

        await store.RecordNotificationResultAsync(run.RunId, Channel, delivery.Status, delivery.Detail, time.GetUtcNow(), cancellationToken);
        ComplianceMetrics.Notified(Channel, delivery.Status.ToWire());
        return delivery;
    }

    /// <summary>Builds and sends the output once; a problem is a <see cref="NotificationStatus.Failed"/> value whose detail carries no secret and no response body.</summary>
    protected abstract Task<NotificationDelivery> DeliverAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>The recorded detail of an exception the delivery did not turn into a value; an output whose messages may carry a secret redacts them here.</summary>
    protected virtual string FailureDetail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"the {Name} could not be written: {exception.GetType().Name}: {exception.Message}";
    }
}
