using Compliance.Reporting;
using Compliance.Reporting.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Notifications;

/// <summary>Composition of the run alerts.</summary>
internal static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the alert of finalised runs (the policy, <see cref="RunNotifications"/>, lives in the
    /// run pipeline) and its <see cref="IRunNotifier"/>: the Teams Workflows notifier when
    /// "Teams:WebhookUrlSecret" names a secret, the log otherwise. Needs an <c>ISecretSource</c>
    /// (<c>AddComplianceSecrets()</c>) and an <c>IReportStore</c>. The Teams HttpClient gets no
    /// resilience handler and no request logging (its URL is a secret).
    /// </summary>
    internal static IServiceCollection AddComplianceNotifications(this IServiceCollection services)
    {
        services.AddComplianceRunAlerts();
        services.AddOptions<TeamsOptions>()
            .BindConfiguration(TeamsOptions.Section)
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Teams:MaxAttempts must be between 1 and 10")
            .Validate(o => o.MaxRetryAfter >= TimeSpan.Zero && o.DefaultRetryAfter >= TimeSpan.Zero, "Teams:MaxRetryAfter and Teams:DefaultRetryAfter must not be negative")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Teams:RequestTimeout must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(TeamsWorkflowNotifier.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.TryAddSingleton<IRunNotifier>(sp => sp.GetRequiredService<IOptions<TeamsOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<TeamsWorkflowNotifier>(sp)
            : ActivatorUtilities.CreateInstance<LogNotifier>(sp));
        return services;
    }
}
