using Azure.Core;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Collectors.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Collectors;

/// <summary>Registers the live inventory collectors.</summary>
internal static class CollectorsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="InventoryCollector"/> with its options, bound from the "Collectors:Azure",
    /// "Collectors:ResourceGraph", "Collectors:Arm", "Collectors:Graph" and "Collectors:Retry"
    /// sections when <paramref name="configuration"/> is given, and validated on first use.
    /// A <see cref="TokenCredential"/> registered by the host is used as it is; otherwise the one named
    /// by <see cref="AzureConnectionOptions.Credential"/> is registered, built on the first token request
    /// (the cloud report store and the Key Vault client use it too). A
    /// registered <see cref="CollectorTransport"/> carries every request; a registered
    /// <see cref="TimeProvider"/> paces retries.
    /// </summary>
    internal static IServiceCollection AddComplianceCollectors(this IServiceCollection services, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        Bind<AzureConnectionOptions>(services, configuration, AzureConnectionOptions.SectionName)
            .Validate(o => AzureCloud.TryParse(o.Cloud, out _), "Collectors:Azure:Cloud must be public, usgov or china.")
            .Validate(o => CredentialFactory.Kinds.Contains(o.Credential.Trim().ToLowerInvariant()), $"Collectors:Azure:Credential must be one of {string.Join(", ", CredentialFactory.Kinds)}.")
            .Validate(o => !string.Equals(o.Credential.Trim(), CredentialFactory.Federated, StringComparison.OrdinalIgnoreCase) || (Guid.TryParse(o.ClientId, out _) && Guid.TryParse(o.TenantId, out _)),
                "Collectors:Azure:Credential 'federated' needs Collectors:Azure:ClientId (the multitenant app registration's client id) and Collectors:Azure:TenantId (the tenant to scan).");
        Bind<ResourceGraphOptions>(services, configuration, ResourceGraphOptions.SectionName)
            .Validate(o => o.PageSize is >= 1 and <= 1000, "Collectors:ResourceGraph:PageSize must be between 1 and 1000.")
            .Validate(o => o.SubscriptionBatchSize is >= 1 and <= 1000, "Collectors:ResourceGraph:SubscriptionBatchSize must be between 1 and 1000.")
            .Validate(o => o.MaxConcurrency >= 1, "Collectors:ResourceGraph:MaxConcurrency must be at least 1.");
        Bind<ArmOptions>(services, configuration, ArmOptions.SectionName)
            .Validate(o => o.MaxConcurrency >= 1, "Collectors:Arm:MaxConcurrency must be at least 1.");
        Bind<GraphOptions>(services, configuration, GraphOptions.SectionName)
            .Validate(o => o.PageSize is >= 1 and <= 999, "Collectors:Graph:PageSize must be between 1 and 999.");
        Bind<QuotaGateOptions>(services, configuration, QuotaGateOptions.SectionName)
            .Validate(o => o.Capacity >= 1, "Collectors:QuotaGate:Capacity must be at least 1.")
            .Validate(o => o.Window > TimeSpan.Zero && o.MaxWait >= TimeSpan.Zero, "Collectors:QuotaGate:Window must be positive and MaxWait not negative.");
        Bind<CollectorRetryOptions>(services, configuration, CollectorRetryOptions.SectionName)
            .Validate(o => o.MaxRetries >= 0, "Collectors:Retry:MaxRetries must not be negative.")
            .Validate(o => o.NetworkTimeout > TimeSpan.Zero, "Collectors:Retry:NetworkTimeout must be positive.")
            .Validate(o => o.BaseDelay >= TimeSpan.Zero && o.MaxDelay >= TimeSpan.Zero && o.MaxRetryAfter >= TimeSpan.Zero, "Collectors:Retry delays must not be negative.");

        services.TryAddSingleton(TimeProvider.System);

        // One identity for everything the app reaches (collectors, storage, Key Vault), built on first use.
        services.TryAddSingleton<TokenCredential>(sp =>
        {
            var connection = sp.GetRequiredService<IOptions<AzureConnectionOptions>>().Value;
            return new LazyCredential(() =>
            {
                AzureCloud.TryParse(connection.Cloud, out var cloud);
                return CredentialFactory.Create(connection, cloud);
            });
        });
        services.TryAddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<IOptions<AzureConnectionOptions>>().Value;
            var credential = ScanCredential(sp, connection);
            return new InventoryCollector(
                connection,
                sp.GetRequiredService<IOptions<ResourceGraphOptions>>().Value,
                sp.GetRequiredService<IOptions<ArmOptions>>().Value,
                sp.GetRequiredService<IOptions<GraphOptions>>().Value,
                sp.GetRequiredService<IOptions<CollectorRetryOptions>>().Value,
                credential,
                sp.GetService<CollectorTransport>(),
                sp.GetRequiredService<TimeProvider>(),
                (ILogger?)sp.GetService<ILoggerFactory>()?.CreateLogger<InventoryCollector>() ?? NullLogger.Instance,
                sp.GetService<IQuotaGate>());
        });
        services.TryAddSingleton(sp =>
        {
            var connection = sp.GetRequiredService<IOptions<AzureConnectionOptions>>().Value;
            if (!AzureCloud.TryParse(connection.Cloud, out var cloud))
            {
                throw new CollectorConfigurationException($"Unknown cloud '{connection.Cloud}' (Collectors:Azure:Cloud / --cloud): use public, usgov or china.");
            }

            return new Policy.AzurePolicyReader(cloud, ScanCredential(sp, connection), sp.GetRequiredService<IOptions<CollectorRetryOptions>>().Value, sp.GetService<CollectorTransport>(), sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }

    /// <summary>The app's own identity reaches its storage and vault; with "federated" the scan signs in to the other tenant.</summary>
    private static TokenCredential ScanCredential(IServiceProvider sp, AzureConnectionOptions connection)
    {
        var own = sp.GetRequiredService<TokenCredential>();
        return CredentialFactory.IsFederated(connection)
            ? new LazyCredential(() =>
            {
                AzureCloud.TryParse(connection.Cloud, out var cloud);
                return CredentialFactory.CreateScan(connection, cloud, own);
            })
            : own;
    }

    private static OptionsBuilder<T> Bind<T>(IServiceCollection services, IConfiguration? configuration, string section)
        where T : class
    {
        var builder = services.AddOptions<T>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(section));
        }

        return builder.ValidateOnStart();
    }
}
