using Compliance.Azure;
using Compliance.Azure.Collectors;
using Compliance.Functions.Http;
using Compliance.Functions.Runs;
using Compliance.Functions.Scanning;
using Compliance.Reporting;
using Compliance.Reporting.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Functions;

/// <summary>Composition of the Function App: the services the CLI uses, with the Azure store, Key Vault and Teams.</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything the functions need, options bound by section and validated at start-up:
    /// the Azure report store and evidence blobs ("Store:Azure"), the reporting services ("Store",
    /// "Suppressions"), the collectors ("Collectors:*"), secrets ("Secrets"), alerts ("Alerts",
    /// "Teams"), the scan ("Scan") and evidence ("Evidence").
    /// </summary>
    public static IServiceCollection AddComplianceFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddComplianceAzure(configuration, AzureParts.All);
        services.AddComplianceReporting();

        services.AddOptions<AzureConnectionOptions>()
            .Validate(o => Guid.TryParse(o.TenantId, out _), "Collectors:Azure:TenantId must be the id (GUID) of the tenant to scan");
        services.AddOptions<ScanSettings>()
            .BindConfiguration(ScanSettings.Section)
            .Validate(o => o.Rules.Count > 0, "Scan:Rules must name at least one rule pack file or folder")
            .Validate(o => o.Subscriptions.All(s => Guid.TryParse(s.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(), out _)), "Scan:Subscriptions must hold subscription ids (GUIDs)")
            .Validate(o => o.StuckRunTimeout >= TimeSpan.FromMinutes(10), "Scan:StuckRunTimeout must be at least 00:10:00 (a scope's scan may take the function's whole timeout)")
            .Validate(o => o.SaveBatchSize is >= 1 and <= 5000, "Scan:SaveBatchSize must be between 1 and 5000")
            .Validate(o => o.DirectoryWait >= TimeSpan.Zero && o.DirectoryWait <= TimeSpan.FromMinutes(8), "Scan:DirectoryWait must be between 00:00:00 and 00:08:00 (a subscription's scan waits for the directory within host.json's functionTimeout, 00:10:00)")
            .Validate(o => o.DirectoryPollInterval >= TimeSpan.FromMilliseconds(10) && o.DirectoryPollInterval <= TimeSpan.FromMinutes(1), "Scan:DirectoryPollInterval must be between 00:00:00.010 and 00:01:00")
            .Validate(o => string.IsNullOrWhiteSpace(o.SuppressionsFile) || File.Exists(ScanSettings.Resolve(o.SuppressionsFile)), "Scan:SuppressionsFile names a file that does not exist")
            .ValidateOnStart();
        services.AddOptions<EvidenceSettings>()
            .BindConfiguration(EvidenceSettings.Section)
            .ValidateOnStart();

        // Without a configured link, the alert points at this app's own findings API.
        services.PostConfigure<AlertOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.FindingsUrl) && configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host)
            {
                o.FindingsUrl = $"https://{host}/api/runs/{{runId}}/findings?status=new,regressed";
            }
        });

        services.TryAddSingleton<RuleCatalog>();
        services.TryAddSingleton<RunStarter>();
        services.TryAddSingleton<ScopeScanner>();
        services.TryAddSingleton<DirectoryShare>();
        services.TryAddSingleton<EvidencePublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunOutput, EvidencePublisher>(sp => sp.GetRequiredService<EvidencePublisher>()));
        services.AddComplianceApiTokens();
        services.AddHostedService<StartupChecks>();
        return services;
    }
}
