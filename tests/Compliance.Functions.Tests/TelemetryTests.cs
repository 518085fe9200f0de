using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Compliance.Functions.Telemetry;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>The worker's telemetry: run and scope ids travel with every log line as dimensions; the alerts' metrics are emitted.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void Log_lines_inside_a_scope_scan_carry_its_run_and_scope_ids()
    {
        var records = new List<LogRecord>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddComplianceTelemetry(new ConfigurationBuilder().Build());
        services.AddOpenTelemetry().WithLogging(logs => logs.AddInMemoryExporter(records));
        using (var provider = services.BuildServiceProvider())
        {
            var logger = provider.GetRequiredService<ILogger<TelemetryTests>>();

            // As ScopeScan and PoisonedScope open their work.
            using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = "20261127T020000Z-3f9c1a2b", ["ScopeId"] = "/subscriptions/" + Prod }))
            {
                logger.LogInformation("Scope {Scope} read", "Prod");
            }
        }

        var record = Assert.Single(records);
        var dimensions = new Dictionary<string, object?>();
        record.ForEachScope((scope, state) =>
        {
            foreach (var pair in scope)
            {
                state[pair.Key] = pair.Value;
            }
        }, dimensions);
        Assert.Equal("20261127T020000Z-3f9c1a2b", dimensions["RunId"]);
        Assert.Equal("/subscriptions/" + Prod, dimensions["ScopeId"]);
        Assert.Equal("Scope Prod read", record.FormattedMessage);
    }

    [Fact]
    public async Task A_run_emits_the_metrics_the_alert_rules_query()
    {
        var measured = new ConcurrentQueue<(string Name, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ComplianceMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
            measured.Enqueue((instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        var tenant = Contoso();
        await using var host = await FunctionsHarness.StartAsync(tenant);
        await host.FireTimerAsync();
        await host.DrainQueueAsync();

        Assert.Contains((ComplianceMetrics.RunsFinalized, "status=completed"), measured);
        Assert.Contains((ComplianceMetrics.Notifications, "channel=teams,status=accepted"), measured);
    }
}
