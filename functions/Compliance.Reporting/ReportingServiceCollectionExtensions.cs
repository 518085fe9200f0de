using Compliance.Core.Evaluation;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.History;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting;

/// <summary>Composition of the run pipeline: options bound by section and validated at start-up.</summary>
public static class ReportingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the run pipeline (<see cref="RunRecorder"/>, its finaliser, retention, outputs, run
    /// lookup, suppression sources), the evidence exporter, the HTML report and their options ("Store", "Suppressions",
    /// "Evidence", "Alerts"). A report store (<see cref="IReportStore"/>) comes from the host: the SQLite
    /// one (Compliance.Reporting.Sqlite) or the Azure one. Needs an <c>IConfiguration</c>.
    /// </summary>
    public static IServiceCollection AddComplianceReporting(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ReportStoreOptions>().BindConfiguration(ReportStoreOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReportStoreOptions>, ReportStoreOptionsValidator>());
        services.AddOptions<SuppressionOptions>().BindConfiguration(SuppressionOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SuppressionOptions>, SuppressionOptionsValidator>());
        services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section);
        services.TryAddSingleton(sp => new ScanEngine(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RunFinalizer>();
        services.TryAddSingleton<RunOutputs>();
        services.TryAddSingleton<RunRetention>();
        services.TryAddSingleton<RunRecorder>();
        services.TryAddSingleton<RunLookup>();
        services.TryAddSingleton<SuppressionSources>();
        services.TryAddSingleton<EvidenceExporter>();
        services.TryAddSingleton<Report.HtmlReport>();
        return services;
    }

    /// <summary>
    /// Registers the alert of finalised runs as a run output (<see cref="RunNotifications"/>) with its
    /// options ("Alerts"); the <see cref="IRunNotifier"/> comes from the host (Teams, or the log).
    /// </summary>
    public static IServiceCollection AddComplianceRunAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());
        services.TryAddSingleton<RunNotifications>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunOutput, RunNotifications>(sp => sp.GetRequiredService<RunNotifications>()));
        return services;
    }
}
