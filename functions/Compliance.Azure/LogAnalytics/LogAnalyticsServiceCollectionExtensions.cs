using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Reporting.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.LogAnalytics;

/// <summary>Composition of the Log Analytics export.</summary>
internal static class LogAnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the options "LogAnalytics" (validated at start-up) and, when <paramref name="enabled"/>
    /// ("LogAnalytics:Enabled"), the export as a run output (<see cref="LogAnalyticsOutput"/>) with its
    /// <see cref="FindingsExporter"/> and <see cref="LogsIngestionClient"/>, which uses the registered
    /// <see cref="TokenCredential"/>, the token scope of the configured cloud and, when one is registered, the
    /// <see cref="CollectorTransport"/> every Azure request of the app goes through. Needs an <c>IReportStore</c>.
    /// </summary>
    internal static IServiceCollection AddComplianceLogAnalytics(this IServiceCollection services, bool enabled)
    {
        services.AddOptions<LogAnalyticsOptions>()
            .BindConfiguration(LogAnalyticsOptions.Section)
            .Validate(o => !o.Enabled || (o.Endpoint is not null && !string.IsNullOrWhiteSpace(o.RuleId)), "LogAnalytics:Enabled is true: LogAnalytics:Endpoint (the data collection endpoint's logs ingestion URL) and LogAnalytics:RuleId (the data collection rule's immutable id) must be set")
            .Validate(o => o.Endpoint is null || (o.Endpoint.IsAbsoluteUri && (o.Endpoint.Scheme == Uri.UriSchemeHttps || o.Endpoint.IsLoopback)), "LogAnalytics:Endpoint must be the https logs ingestion URL of the data collection endpoint")
            .Validate(o => o.Endpoint is null || (o.RuleId is { } id && id.Trim().StartsWith("dcr-", StringComparison.Ordinal)), "LogAnalytics:RuleId must be the data collection rule's immutable id (dcr-…)")
            .Validate(o => o.Stream.StartsWith("Custom-", StringComparison.Ordinal), "LogAnalytics:Stream must name the rule's custom stream (Custom-…)")
            .Validate(o => o.MaxBatchBytes is >= 1024 and <= 1_000_000, "LogAnalytics:MaxBatchBytes must be between 1024 and 1000000 (the API takes at most 1 MB per call)")
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "LogAnalytics:MaxAttempts must be between 1 and 10")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LogAnalyticsOptions>>().Value;
            if (!options.Enabled)
            {
                throw new InvalidOperationException("LogAnalytics:Enabled is not true: there is no Log Analytics export");
            }

            AzureCloud.TryParse(sp.GetService<IOptions<AzureConnectionOptions>>()?.Value.Cloud, out var cloud);
            var transport = sp.GetService<CollectorTransport>() is { } routed ? new HttpClientTransport(new HttpClient(routed.Handler, disposeHandler: false)) : null;
            return new LogsIngestionClient(options, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential(), cloud.MonitorIngestionScope, sp.GetRequiredService<TimeProvider>(), transport);
        });
        services.TryAddSingleton<FindingsExporter>();
        if (enabled)
        {
            services.TryAddSingleton<LogAnalyticsOutput>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunOutput, LogAnalyticsOutput>(sp => sp.GetRequiredService<LogAnalyticsOutput>()));
        }

        return services;
    }
}
