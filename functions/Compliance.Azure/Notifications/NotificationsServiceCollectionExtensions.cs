using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Notifications;

/// <summary>Composition of the run alerts.</summary>
internal static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RunAlerts"/> and its <see cref="IRunNotifier"/>: the Teams Workflows
    /// notifier when "Teams:WebhookUrlSecret" names a secret, the log otherwise. Needs an
    /// <c>ISecretSource</c> (<c>AddComplianceSecrets()</c>) and an <c>IReportStore</c>. The Teams
    /// HttpClient gets no resilience handler and no request logging (its URL is a secret).
    /// </summary>
    internal static IServiceCollection AddComplianceNotifications(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>()
            .BindConfiguration(AlertOptions.Section)
            .Validate(o => o.TopFindings is >= 1 and <= 20, "Alerts:TopFindings must be between 1 and 20")
            .Validate(o => string.IsNullOrWhiteSpace(o.FindingsUrl) || (o.FindingsUrl.Contains("{runId}", StringComparison.Ordinal) && Uri.TryCreate(o.FindingsUrl.Replace("{runId}", "x", StringComparison.Ordinal), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.IsLoopback)),
                "Alerts:FindingsUrl must be an https URL with {runId} in it")
            .ValidateOnStart();
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
        services.TryAddSingleton<RunAlerts>();
        return services;
    }
}
