using System.Text.Json.Nodes;
using Compliance.Functions.Functions;
using Compliance.Functions.Tests.Support;
using Microsoft.Azure.Functions.Worker;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>The HTTP API: runs, paged and filtered findings, and JSON errors that name what is wrong.</summary>
public sealed class RunsApiTests : IAsyncLifetime
{
    private FunctionsHarness _host = null!;
    private string _runId = null!;

    public async Task InitializeAsync()
    {
        _host = await FunctionsHarness.StartAsync(Contoso());
        _runId = (await _host.FireTimerAsync()).RunId;
        await _host.DrainQueueAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Runs_are_listed_with_their_scopes_counts_notifications_and_links()
    {
        var response = await CallAsync("/api/runs?status=completed&limit=5", (api, r) => api.ListRunsAsync(r, CancellationToken.None));

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        var run = Assert.Single(response.Json["runs"]!.AsArray())!;
        Assert.Equal(_runId, run["runId"]!.GetValue<string>());
        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal(4, run["scopes"]!.AsArray().Count);
        Assert.True(run["counts"]!["fail"]!.GetValue<int>() > 0);
        Assert.Equal("accepted", run["notifications"]![0]!["status"]!.GetValue<string>());
        Assert.Equal($"/api/runs/{_runId}/evidence/findings.csv", run["links"]!["evidence"]!["findings.csv"]!.GetValue<string>());

        var latest = await CallAsync("/api/runs/latest", (api, r) => api.GetRunAsync(r, "latest", CancellationToken.None));
        Assert.Equal(_runId, latest.Json["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Findings_come_page_by_page_each_once_and_filtered_by_severity_category_outcome_and_status()
    {
        var all = await ReadAllAsync($"/api/runs/{_runId}/findings?pageSize=7");
        Assert.True(all.Count > 14);
        Assert.Equal(all.Count, all.Select(f => f["findingId"]!.GetValue<string>()).Distinct().Count());

        var filtered = await ReadAllAsync($"/api/runs/{_runId}/findings?severity=high,critical&category=encryption&category=firewall&outcome=fail&status=new");
        Assert.NotEmpty(filtered);
        Assert.All(filtered, f =>
        {
            Assert.Contains(f["severity"]!.GetValue<string>(), new[] { "high", "critical" });
            Assert.Contains(f["category"]!.GetValue<string>(), new[] { "encryption", "firewall" });
            Assert.Equal("fail", f["outcome"]!.GetValue<string>());
            Assert.Equal("new", f["historyStatus"]!.GetValue<string>());
        });
        Assert.Equal(
            all.Count(f => f["severity"]!.GetValue<string>() is "high" or "critical" && f["category"]!.GetValue<string>() is "encryption" or "firewall" && f["outcome"]!.GetValue<string>() == "fail" && f["historyStatus"]?.GetValue<string>() == "new"),
            filtered.Count);
    }

    [Theory]
    [InlineData("?severity=urgent", "severity", "'urgent' is not one of: informational, low, medium, high, critical")]
    [InlineData("?category=network", "category", "'network' is not one of")]
    [InlineData("?outcome=passed", "outcome", "'passed' is not one of")]
    [InlineData("?status=fixed", "status", "'fixed' is not one of: new, persisting, resolved, regressed")]
    [InlineData("?pageSize=0", "pageSize", "from 1 to 1000")]
    [InlineData("?severty=high", "severty", "unknown parameter")]
    public async Task A_bad_filter_answers_400_naming_the_parameter(string query, string parameter, string message)
    {
        var response = await CallAsync($"/api/runs/{_runId}/findings{query}", (api, r) => api.ListFindingsAsync(r, _runId, CancellationToken.None));

        Assert.Equal(400, response.Status);
        Assert.Equal("InvalidParameter", response.Json["error"]!["code"]!.GetValue<string>());
        Assert.Equal(parameter, response.Json["error"]!["parameter"]!.GetValue<string>());
        Assert.Contains(message, response.Json["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_run_or_evidence_file_answers_404_and_a_running_run_has_no_evidence_yet()
    {
        var unknown = await CallAsync("/api/runs/20991231T000000Z-deadbeef/findings", (api, r) => api.ListFindingsAsync(r, "20991231T000000Z-deadbeef", CancellationToken.None));
        Assert.Equal(404, unknown.Status);
        Assert.Equal("RunNotFound", unknown.Json["error"]!["code"]!.GetValue<string>());
        Assert.Contains("20991231T000000Z-deadbeef", unknown.Json["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var malformed = await CallAsync("/api/runs/..%2F..", (api, r) => api.GetRunAsync(r, "../..", CancellationToken.None));
        Assert.Equal(400, malformed.Status);
        Assert.Equal("runId", malformed.Json["error"]!["parameter"]!.GetValue<string>());

        var file = await CallAsync($"/api/runs/{_runId}/evidence/secrets.txt", (api, r) => api.DownloadEvidenceAsync(r, _runId, "secrets.txt", CancellationToken.None));
        Assert.Equal(404, file.Status);
        Assert.Contains("findings.csv, controls.csv, controls-summary.csv, manifest.json", file.Json["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromDays(1), _host.Time);
        var running = (await _host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None)).Length;
        Assert.Equal(4, running);
        var open = (await _host.Store.ListRunsAsync(new Reporting.Store.RunQuery { Statuses = [Reporting.Store.RunStatus.Running] })).Single().RunId;
        var notYet = await CallAsync($"/api/runs/{open}/evidence/findings.csv", (api, r) => api.DownloadEvidenceAsync(r, open, "findings.csv", CancellationToken.None));
        Assert.Equal(409, notYet.Status);
        Assert.Equal("RunNotFinalized", notYet.Json["error"]!["code"]!.GetValue<string>());
    }

    private async Task<List<JsonNode>> ReadAllAsync(string first)
    {
        var found = new List<JsonNode>();
        var next = first;
        for (var page = 0; next is not null && page < 100; page++)
        {
            var response = await CallAsync(next, (api, r) => api.ListFindingsAsync(r, _runId, CancellationToken.None));
            Assert.Equal(200, response.Status);
            found.AddRange(response.Json["findings"]!.AsArray().Select(f => f!));
            next = response.Json["next"]?.GetValue<string>();
        }

        return found;
    }

    private async Task<HttpCalls.Response> CallAsync(string pathAndQuery, Func<RunsApi, Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call)
    {
        var request = HttpCalls.Get(pathAndQuery);
        return await HttpCalls.ExecuteAsync(request, await call(_host.Function<RunsApi>(), request));
    }
}
