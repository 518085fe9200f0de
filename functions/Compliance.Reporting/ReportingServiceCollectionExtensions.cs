using Compliance.Reporting.Evidence;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Store.Sqlite;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Compliance.Reporting;

/// <summary>Composition of the reporting services: options bound by section and validated at start-up.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the run finaliser, the evidence exporter, their options and, unless another store
    /// was registered first (the Azure one), the SQLite store. Needs an <c>IConfiguration</c>.
    /// </summary>
    public static IServiceCollection AddComplianceReporting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ReportStoreOptions>()
            .BindConfiguration(ReportStoreOptions.Section)
            .Validate(o => o.Retention > TimeSpan.Zero, "Store:Retention must be positive")
            .Validate(o => o.FinalizationLease > TimeSpan.Zero, "Store:FinalizationLease must be positive")
            .ValidateOnStart();
        services.AddOptions<SqliteStoreOptions>()
            .BindConfiguration(SqliteStoreOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Store:Sqlite:Path must name a file")
            .ValidateOnStart();
        services.AddOptions<SuppressionOptions>()
            .BindConfiguration(SuppressionOptions.Section)
            .Validate(o => o.MaxLifetime > TimeSpan.Zero, "Suppressions:MaxLifetime must be positive")
            .ValidateOnStart();
        services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section);
        services.TryAddSingleton<IReportStore, SqliteReportStore>();
        services.TryAddSingleton<RunFinalizer>();
        services.TryAddSingleton<EvidenceExporter>();
        return services;
    }
}
