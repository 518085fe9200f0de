using Azure.Core;
using Azure.Identity;
using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Clouds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.LogAnalytics;

/// <summary>Composition of the Log Analytics export.</summary>
internal static class LogAnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FindingsExporter"/> and its <see cref="LogsIngestionClient"/> (options "LogAnalytics",
    /// validated at start-up), with the registered <see cref="TokenCredential"/> and the token scope of the
    /// configured cloud. Resolve <see cref="FindingsExporter"/> only when <see cref="LogAnalyticsOptions.Enabled"/>.
    /// </summary>
    internal static IServiceCollection AddComplianceLogAnalytics(this IServiceCollection services)
    {
        services.AddOptions<LogAnalyticsOptions>()
            .BindConfiguration(LogAnalyticsOptions.Section)
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
                throw new InvalidOperationException("LogAnalytics:Endpoint and LogAnalytics:RuleId are not set: there is no Log Analytics export");
            }

            AzureCloud.TryParse(sp.GetService<IOptions<AzureConnectionOptions>>()?.Value.Cloud, out var cloud);
            return new LogsIngestionClient(options, sp.GetService<TokenCredential>() ?? new DefaultAzureCredential(), cloud.MonitorIngestionScope, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<FindingsExporter>();
        return services;
    }
}
