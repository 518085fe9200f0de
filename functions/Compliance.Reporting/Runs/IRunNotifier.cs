namespace Compliance.Reporting.Runs;

/// <summary>
/// Tells people about a finalised run: a Teams Workflows webhook in Azure, the log otherwise.
/// Delivery problems are values (<see cref="NotificationDelivery"/>), not exceptions: a notifier
/// that fails never fails the scan.
/// </summary>
public interface IRunNotifier
{
    /// <summary>The channel a run records the notification under ("teams", "log").</summary>
    string Channel { get; }

    /// <summary>Sends the alert once (retrying only what was certainly not delivered) and says how it went.</summary>
    Task<NotificationDelivery> SendAsync(RunAlert alert, CancellationToken cancellationToken);
}
