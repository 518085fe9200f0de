using Compliance.Azure.Collectors;
using Compliance.Azure.Notifications;
using Compliance.Azure.Secrets;
using Compliance.Azure.Storage;
using Microsoft.Extensions.Configuration;
using Azure.Data.Tables;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.LogAnalytics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure;

/// <summary>The parts of the Azure edge a host composes.</summary>
[Flags]
public enum AzureParts
{
    /// <summary>The live inventory collectors (Resource Graph, ARM, Microsoft Graph).</summary>
    Collectors = 1,

    /// <summary>The cloud report store (Tables and Blobs) and the evidence blobs; register before AddComplianceReporting().</summary>
    Store = 2,

    /// <summary>The secret source (Key Vault, or configuration).</summary>
    Secrets = 4,

    /// <summary>The run alerts (Teams Workflows, or the log); needs Secrets and a report store.</summary>
    Notifications = 8,

    /// <summary>The optional export of finalised runs to Log Analytics (Logs Ingestion API), a run output when "LogAnalytics:Enabled" is true; needs a report store.</summary>
    LogAnalytics = 16,

    All = Collectors | Store | Secrets | Notifications | LogAnalytics,
}

/// <summary>Composition of the Azure edge: one entry point, the parts a host needs.</summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Registers the chosen parts with their options, bound from configuration and validated (see
    /// README: Collectors:*, Store:Azure, Secrets, Teams, Alerts). The CLI takes the collectors; the
    /// Function App takes everything.
    /// </summary>
    public static IServiceCollection AddComplianceAzure(this IServiceCollection services, IConfiguration? configuration, AzureParts parts)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (parts.HasFlag(AzureParts.Store))
        {
            services.AddComplianceAzureStorage();
        }

        if (parts.HasFlag(AzureParts.Collectors))
        {
            services.AddComplianceCollectors(configuration);
        }

        if (parts.HasFlag(AzureParts.Collectors) && parts.HasFlag(AzureParts.Store))
        {
            // Many instances, one identity, one Resource Graph quota: share it in the store's Table storage.
            services.TryAddSingleton<IQuotaGate>(sp =>
            {
                var gate = sp.GetRequiredService<IOptions<QuotaGateOptions>>().Value;
                var graph = sp.GetRequiredService<IOptions<ResourceGraphOptions>>().Value;
                var time = sp.GetRequiredService<TimeProvider>();
                if (!gate.Shared)
                {
                    return new QuotaGate(time, Math.Max(0, graph.MaxConcurrency - 1));
                }

                var table = sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix + "Quota");
                var logger = (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger<SharedQuotaGate>() ?? NullLogger.Instance;
                return new SharedQuotaGate(table, gate, Math.Max(0, graph.MaxConcurrency - 1), time, logger);
            });
        }

        if (parts.HasFlag(AzureParts.Secrets))
        {
            services.AddComplianceSecrets();
        }

        if (parts.HasFlag(AzureParts.Notifications))
        {
            services.AddComplianceNotifications();
        }

        if (parts.HasFlag(AzureParts.LogAnalytics))
        {
            // An output exists only where the export is switched on; its settings are validated either way.
            services.AddComplianceLogAnalytics(configuration?.GetValue<bool>($"{LogAnalyticsOptions.Section}:{nameof(LogAnalyticsOptions.Enabled)}") ?? false);
        }

        return services;
    }
}
