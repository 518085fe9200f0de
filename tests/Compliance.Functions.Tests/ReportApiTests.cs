using Compliance.Functions.Functions;
using Compliance.Functions.Http;
using Compliance.Functions.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>GET /api/runs/{runId}/report: the HTML report the CLI writes, served for a finalised run, with and without an Entra token.</summary>
public sealed class ReportApiTests
{
    [Fact]
    public async Task A_finalised_run_is_served_as_one_html_page_that_may_request_nothing()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();

        foreach (var id in new[] { run.RunId, "latest" })
        {
            var request = HttpCalls.Get($"/api/runs/{id}/report");
            var response = await HttpCalls.ExecuteAsync(request, await host.Function<RunsApi>().GetReportAsync(request, id, CancellationToken.None));

            Assert.Equal(200, response.Status);
            Assert.Equal("text/html; charset=utf-8", response.ContentType);
            Assert.StartsWith("default-src 'none';", response.Headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
            Assert.StartsWith("<!DOCTYPE html>", response.Text, StringComparison.Ordinal);
            Assert.Contains($"run <span class=\"mono\">{run.RunId}</span>", response.Text, StringComparison.Ordinal);
            var stored = (await host.Store.GetRunAsync(run.RunId))!;
            Assert.Contains($"data-count=\"fail\" data-value=\"{stored.Counts!.Fail}\"", response.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_run_still_open_answers_409_an_unknown_one_404_and_a_parameter_400()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var open = (await host.Store.ListRunsAsync(new Reporting.Store.RunQuery { Statuses = [Reporting.Store.RunStatus.Running] })).Single().RunId;

        var running = HttpCalls.Get($"/api/runs/{open}/report");
        var notYet = await HttpCalls.ExecuteAsync(running, await host.Function<RunsApi>().GetReportAsync(running, open, CancellationToken.None));
        Assert.Equal(409, notYet.Status);
        Assert.Equal("RunNotFinalized", notYet.Json["error"]!["code"]!.GetValue<string>());

        var unknown = HttpCalls.Get("/api/runs/20991231T000000Z-deadbeef/report");
        var missing = await HttpCalls.ExecuteAsync(unknown, await host.Function<RunsApi>().GetReportAsync(unknown, "20991231T000000Z-deadbeef", CancellationToken.None));
        Assert.Equal(404, missing.Status);

        var extra = HttpCalls.Get($"/api/runs/{open}/report?format=pdf");
        var bad = await HttpCalls.ExecuteAsync(extra, await host.Function<RunsApi>().GetReportAsync(extra, open, CancellationToken.None));
        Assert.Equal(400, bad.Status);
        Assert.Equal("format", bad.Json["error"]!["parameter"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_Entra_route_serves_the_report_to_a_reader_of_findings_and_refuses_a_token_without_the_role()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s =>
        {
            s["Api:Entra:Authority"] = issuer.Authority.AbsoluteUri;
            s["Api:Entra:Audiences:0"] = FakeTokenIssuer.ApiClientId;
        });
        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        var now = host.Time.GetUtcNow();

        var reader = HttpCalls.Get($"/api/entra/runs/{run.RunId}/report");
        reader.Headers.Authorization = "Bearer " + issuer.Token(now, [ApiTokenOptions.FindingsRead]);
        var page = await HttpCalls.ExecuteAsync(reader, await host.Function<EntraRunsApi>().GetReportAsync(reader, run.RunId, CancellationToken.None));
        Assert.Equal(200, page.Status);
        Assert.Contains(run.RunId, page.Text, StringComparison.Ordinal);

        var auditor = HttpCalls.Get($"/api/entra/runs/{run.RunId}/report");
        auditor.Headers.Authorization = "Bearer " + issuer.Token(now, [ApiTokenOptions.EvidenceRead]);
        var refused = await HttpCalls.ExecuteAsync(auditor, await host.Function<EntraRunsApi>().GetReportAsync(auditor, run.RunId, CancellationToken.None));
        Assert.Equal(403, refused.Status);
    }
}
