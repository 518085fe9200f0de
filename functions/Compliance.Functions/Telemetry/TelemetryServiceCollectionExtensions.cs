using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Compliance.Reporting.Runs;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Compliance.Functions.Telemetry;

/// <summary>
/// The worker's own telemetry to Application Insights through OpenTelemetry (Microsoft Learn, "Use
/// OpenTelemetry with Azure Functions": host.json "telemetryMode": "OpenTelemetry", and in the worker
/// <c>AddOpenTelemetry().UseFunctionsWorkerDefaults()</c> with the Azure Monitor exporter). Log scopes are
/// exported, so the RunId and ScopeId a function opens its work with become custom dimensions of every
/// log line inside it; the scanner's metrics (<see cref="ComplianceMetrics"/>) feed the template's alerts.
/// The exporter signs in with the app's identity: the template's Application Insights takes no
/// instrumentation key alone (DisableLocalAuth).
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>The setting that names the Application Insights resource; without it nothing is exported.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IServiceCollection AddComplianceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<OpenTelemetryLoggerOptions>(ConfigureLogs);
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(ComplianceMetrics.MeterName));
        if (configuration[ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            telemetry.UseAzureMonitorExporter(o => o.ConnectionString = connectionString);
            services.AddOptions<AzureMonitorExporterOptions>()
                .Configure<IServiceProvider>((o, sp) => o.Credential = sp.GetService<TokenCredential>());
        }

        return services;
    }

    /// <summary>Scopes (RunId, ScopeId) and the formatted message go with every log record.</summary>
    public static void ConfigureLogs(OpenTelemetryLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeScopes = true;
        options.IncludeFormattedMessage = true;
    }
}
