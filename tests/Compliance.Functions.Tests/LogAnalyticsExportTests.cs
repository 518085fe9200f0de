using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.LogAnalytics;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Azure.Tests.LogAnalytics;
using Compliance.Functions.Functions;
using Compliance.Functions.Scanning;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.History;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// Findings in Log Analytics: a run finalised by the Function App posts its findings, one row each,
/// to a loopback data collection endpoint speaking the Logs Ingestion API (rule id and stream in the
/// URL, the injected credential's bearer token, a JSON array, 204) — once, whoever finalises, and the
/// result is on the run. A failing workspace changes nothing else.
/// </summary>
public sealed class LogAnalyticsExportTests : IAsyncLifetime
{
    private FakeLogsIngestion _ingestion = null!;

    public async Task InitializeAsync() => _ingestion = await FakeLogsIngestion.StartAsync();

    public async Task DisposeAsync() => await _ingestion.DisposeAsync();

    [Fact]
    public async Task A_finalised_run_posts_each_of_its_findings_once_and_the_run_shows_the_export()
    {
        var credential = new FakeCredential();
        await using var host = await StartAsync(credential);
        await host.StartHostAsync();

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        run = await host.RunAsync(run.RunId);
        Assert.True(run.IsFinalized);

        var stored = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId, IncludeCarried = true }).ToListAsync();
        Assert.NotEmpty(stored);
        var rows = _ingestion.Rows.ToList();
        Assert.Equal(stored.Select(f => f.Finding.FindingId).Order(StringComparer.Ordinal), rows.Select(r => r["FindingId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(run.RunId, r["RunId"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(TenantId, r["ScannedTenantId"]!.GetValue<string>()));
        var fail = rows.First(r => r["Outcome"]!.GetValue<string>() == "fail" && r["RuleId"]!.GetValue<string>() == "AZ-FW-020");
        Assert.Equal("new", fail["HistoryStatus"]!.GetValue<string>());
        Assert.Equal("Microsoft.Sql/servers", fail["AssessedResourceType"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

        // The wire: every call went to the rule's stream (the fake answers 404 elsewhere) with the injected credential's token, and was taken.
        Assert.All(_ingestion.Calls, c => Assert.Equal(204, c.Status));
        Assert.All(_ingestion.Authorizations, a => Assert.Equal("Bearer fake-token", a));
        Assert.Contains("https://monitor.azure.com//.default", credential.Scopes);
        Assert.Equal("https://monitor.azure.com//.default", AzureCloud.Public.MonitorIngestionScope);

        // The record, as GET /api/runs/{id} shows it, beside the Teams alert.
        var request = HttpCalls.Get($"/api/runs/{run.RunId}");
        var answer = await HttpCalls.ExecuteAsync(request, await host.Function<RunsApi>().GetRunAsync(request, run.RunId, CancellationToken.None));
        Assert.Equal(200, answer.Status);
        var notifications = answer.Json["notifications"]!.AsArray();
        var export = Assert.Single(notifications, n => n!["channel"]!.GetValue<string>() == LogAnalyticsOutput.ChannelName)!;
        Assert.Equal("sent", export["status"]!.GetValue<string>());
        Assert.Contains($"{stored.Count} row(s) sent to stream {FakeLogsIngestion.Stream} of rule {FakeLogsIngestion.RuleId}", export["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(notifications, n => n!["channel"]!.GetValue<string>() == "teams");

        // A message delivered again, a sweep an hour later: nothing is posted twice.
        var calls = _ingestion.Calls.Count;
        await host.Queue.EnqueueAsync([new ScopeMessage(run.RunId, TenantId, "/subscriptions/" + Prod, "Prod").ToJson()]);
        await host.DrainQueueAsync();
        await Task.Delay(TimeSpan.FromHours(1), host.Time);
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(calls, _ingestion.Calls.Count);
        Assert.Equal(stored.Count, _ingestion.Rows.Count);
    }

    [Fact]
    public async Task Two_finalisers_racing_export_the_run_once()
    {
        await using var host = await StartAsync();
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var runId = ScopeMessage.TryParse(messages[0])!.RunId;
        foreach (var message in messages[..^2])
        {
            await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
        }

        // The last two scopes on two workers at once: both try to finalise.
        using var go = new ManualResetEventSlim();
        var last = messages[^2..].Select(m => Task.Run(async () =>
        {
            go.Wait();
            await host.Function<ScopeScan>().RunAsync(m, CancellationToken.None);
        })).ToList();
        go.Set();
        await Task.WhenAll(last);

        // Then two more writers of the outputs of the finalised run at once (a finaliser taking over, the sweep).
        var run = await host.RunAsync(runId);
        var outputs = host.Services.GetRequiredService<RunOutputs>();
        await Task.WhenAll(Task.Run(() => outputs.WriteAsync(run, CancellationToken.None)), Task.Run(() => outputs.WriteMissingAsync(run, CancellationToken.None)));

        run = await host.RunAsync(runId);
        var stored = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = runId, IncludeCarried = true }).ToListAsync();
        Assert.Equal(stored.Count, _ingestion.Rows.Count);
        Assert.Equal(stored.Count, _ingestion.Rows.Select(r => r["FindingId"]!.GetValue<string>()).Distinct().Count());
        Assert.Single(_ingestion.Calls);
        Assert.Single(run.Notifications, n => n.Channel == LogAnalyticsOutput.ChannelName);
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Run {runId} finalised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_workspace_that_refuses_the_export_is_recorded_as_failed_without_the_response_and_the_other_outputs_go_out()
    {
        await using var host = await StartAsync();
        const string Echo = "https://dce.example/dataCollectionRules/x?sig=Zm9vYmFyc2VjcmV0c2lnbmF0dXJl";
        _ingestion.Script.Enqueue((403, null, $"{{\"error\":{{\"code\":\"OperationFailed\",\"message\":\"The authentication token provided does not have access to ingest data for the data collection rule {Echo}\"}}}}"));

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        run = await host.RunAsync(run.RunId);

        var export = Assert.Single(run.Notifications, n => n.Channel == LogAnalyticsOutput.ChannelName);
        Assert.Equal(NotificationStatus.Failed, export.Status);
        Assert.Contains("answered 403 OperationFailed", export.Detail, StringComparison.Ordinal);
        Assert.Contains("Monitoring Metrics Publisher", export.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", export.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vYmFy", host.Logs.AllText, StringComparison.Ordinal);
        Assert.Empty(_ingestion.Rows);

        // Isolated: the alert was posted and the evidence written all the same; the failure is not retried by the sweep.
        Assert.Equal(NotificationStatus.Accepted, Assert.Single(run.Notifications, n => n.Channel == "teams").Status);
        Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Evidence of run {run.RunId} written", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromHours(1), host.Time);
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Single(_ingestion.Calls);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_as_the_client_does_and_a_run_the_finaliser_left_without_its_export_gets_it_from_the_sweep()
    {
        await using var host = await StartAsync();
        var run = await host.FireTimerAsync();

        // Every scope reports (here: as unreadable), the finaliser finalises the run and dies before writing any output.
        foreach (var scope in run.Scopes)
        {
            run = await host.Services.GetRequiredService<RunRecorder>().RecordScopeErrorAsync(run, scope.Id, scope.DisplayName, "the worker stopped", host.Services.GetRequiredService<RuleCatalog>().Rules, complete: true, CancellationToken.None);
        }

        Assert.NotNull(await host.Services.GetRequiredService<RunFinalizer>().TryFinalizeAsync(run.RunId));
        Assert.Empty((await host.RunAsync(run.RunId)).Notifications);

        // The sweep, once the finaliser's claim would have expired: the endpoint throttles, then fails once, then takes it.
        _ingestion.Script.Enqueue((429, "7", "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Rate limit is exceeded\"}}"));
        _ingestion.Script.Enqueue((503, null, null));
        await Task.Delay(TimeSpan.FromMinutes(15), host.Time);
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);

        run = await host.RunAsync(run.RunId);
        var export = Assert.Single(run.Notifications, n => n.Channel == LogAnalyticsOutput.ChannelName);
        Assert.True(export.Status == NotificationStatus.Sent, export.Detail);
        Assert.Equal([429, 503, 204], _ingestion.Calls.Select(c => c.Status));
        Assert.Contains(TimeSpan.FromSeconds(7), ((InstantTimeProvider)host.Time).Waits);
        Assert.Equal(run.Scopes.Count, _ingestion.Rows.Count);
        Assert.All(_ingestion.Rows, r => Assert.Equal("error", r["Outcome"]!.GetValue<string>()));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("was finalised without its Log Analytics export", StringComparison.Ordinal));

        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(3, _ingestion.Calls.Count);
    }

    [Fact]
    public async Task Without_LogAnalytics_Enabled_there_is_no_export_output_and_enabled_without_a_rule_the_app_does_not_start()
    {
        await using (var off = await FunctionsHarness.StartAsync(Contoso()))
        {
            Assert.DoesNotContain(off.Services.GetServices<IRunOutput>(), o => o is LogAnalyticsOutput);
        }

        await using var broken = await FunctionsHarness.StartAsync(Contoso(), s =>
        {
            s["LogAnalytics:Enabled"] = "true";
            s["LogAnalytics:Endpoint"] = Endpoint;
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(broken.StartHostAsync);
        Assert.Contains("LogAnalytics:RuleId", error.Message, StringComparison.Ordinal);
    }

    private const string Endpoint = "https://dce-compliance-a1b2.westeurope-1.ingest.monitor.azure.com";

    private Task<FunctionsHarness> StartAsync(FakeCredential? credential = null) =>
        FunctionsHarness.StartAsync(
            Contoso(),
            s =>
            {
                s["LogAnalytics:Enabled"] = "true";
                s["LogAnalytics:Endpoint"] = Endpoint;
                s["LogAnalytics:RuleId"] = FakeLogsIngestion.RuleId;
            },
            credential: credential,
            ingestionPort: _ingestion.Port);
}
