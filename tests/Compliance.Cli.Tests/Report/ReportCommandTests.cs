using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Compliance.Cli.Tests.Report;

/// <summary>
/// compliance report as a person sees it: the two-day example (TestData day 1, then day 2, with the
/// built-in packs) rendered by headless Chromium, its DOM checked against the runs' own numbers, and a
/// resource name carrying markup that must stay text and request nothing.
/// </summary>
public sealed class ReportCommandTests : IDisposable
{
    private static readonly DateTimeOffset Day1 = CliRunner.Now;
    private static readonly DateTimeOffset Day2 = CliRunner.Now.AddDays(1);
    private static readonly string Day1Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day1.json");
    private static readonly string Day2Snapshot = RepoPaths.File("tests", "Compliance.Cli.Tests", "TestData", "northwind-tenant-day2.json");

    private readonly TempFolder _temp = new();

    private string Store => _temp.File("compliance.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_two_day_report_draws_the_runs_numbers_and_lists_every_problem()
    {
        await ScanAsync(Day1, Day1Snapshot);
        await ScanAsync(Day2, Day2Snapshot);
        var html = _temp.File("report.html");

        var (code, output, error) = await CliRunner.RunAtAsync(Day2, "report", "--store", Store, "--out", html);

        Assert.True(code == 0, error);
        var runs = await RunsAsync();
        var latest = runs[0]!;
        Assert.Contains(latest["runId"]!.GetValue<string>(), output, StringComparison.Ordinal);
        var dom = await RenderAsync(html);

        // The outcome ring and the cards carry the run's counts.
        var counts = latest["counts"]!;
        foreach (var outcome in new[] { "pass", "fail", "error", "suppressed" })
        {
            Assert.Equal(counts[outcome]!.GetValue<int>(), Value(dom.QuerySelector($"#chart-outcomes .seg[data-label='{outcome}']")));
            Assert.Equal(counts[outcome]!.GetValue<int>(), Value(dom.QuerySelector($"#cards [data-count='{outcome}']")));
        }

        Assert.Equal(counts["resolved"]!.GetValue<int>(), Value(dom.QuerySelector("#cards [data-count='resolved']")));

        // The trend has one point per run and series, with that run's numbers; day 1 comes first.
        var trendRuns = dom.QuerySelectorAll("#chart-trend .point[data-series='fail']").Select(p => p.GetAttribute("data-run")).ToList();
        Assert.Equal(runs.Select(r => r!["runId"]!.GetValue<string>()).Reverse(), trendRuns);
        foreach (var run in runs.Select(r => r!))
        {
            var id = run["runId"]!.GetValue<string>();
            Assert.Equal(run["counts"]!["fail"]!.GetValue<int>(), Value(dom.QuerySelector($"#chart-trend .point[data-series='fail'][data-run='{id}']")));
            Assert.Equal(run["counts"]!["error"]!.GetValue<int>(), Value(dom.QuerySelector($"#chart-trend .point[data-series='error'][data-run='{id}']")));
            Assert.Equal(run["counts"]!["new"]!.GetValue<int>(), int.Parse(dom.QuerySelector($"#chart-trend .delta[data-run='{id}']")!.GetAttribute("data-new")!, System.Globalization.CultureInfo.InvariantCulture));
        }

        // Every problem of the run is a row of the findings table, and nothing else is.
        var findings = await FindingsAsync();
        var problems = findings.Where(f => f["outcome"]!.GetValue<string>() != "pass").ToList();
        Assert.NotEmpty(problems);
        var rows = dom.QuerySelectorAll("#findings tr.finding");
        Assert.Equal(
            problems.Select(f => f["findingId"]!.GetValue<string>()).Order(StringComparer.Ordinal),
            rows.Select(r => r.GetAttribute("data-finding-id")!).Order(StringComparer.Ordinal));
        Assert.Equal(problems.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), dom.QuerySelector("#shown")!.TextContent);
        var firstProblem = problems.First(f => f["outcome"]!.GetValue<string>() == "fail");
        var row = rows.Single(r => r.GetAttribute("data-finding-id") == firstProblem["findingId"]!.GetValue<string>());
        Assert.Equal(firstProblem["resourceName"]!.GetValue<string>(), row.QuerySelector(".resource-name")!.TextContent);
        Assert.Equal((firstProblem["message"] ?? firstProblem["reason"])!.GetValue<string>(), row.QuerySelector(".message")!.TextContent);
        Assert.Equal(firstProblem["evidence"]!.AsArray().Count(e => !e!["satisfied"]!.GetValue<bool>()), row.QuerySelectorAll("ul.evidence li").Length);

        // Severity bars and the severity × category table add up to the open problems.
        var open = problems.Count(f => f["outcome"]!.GetValue<string>() is "fail" or "error" && f["carried"] is null);
        Assert.Equal(open, dom.QuerySelectorAll("#chart-severity rect.bar").Sum(Value));
        Assert.Equal(open, dom.QuerySelectorAll("#severity-category td[data-category]").Sum(c => int.Parse(c.TextContent, System.Globalization.CultureInfo.InvariantCulture)));

        // The framework roll-up names NIST controls by their published titles, and its counts are the table's.
        var nist = dom.QuerySelector("section.framework[data-framework='NIST-800-53-r5']")!;
        Assert.Contains("NIST SP 800-53 Rev. 5", nist.QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Account Management", nist.QuerySelector("tr[data-control='AC-2'] td:nth-child(2)")!.TextContent);
        Assert.Equal(nist.QuerySelectorAll("tr[data-status='fail']").Length, int.Parse(nist.GetAttribute("data-failed")!, System.Globalization.CultureInfo.InvariantCulture));
        var cis = dom.QuerySelector("section.framework[data-framework='CIS-Azure-3.0.0']")!;
        Assert.Equal("Ensure that RDP access from the Internet is evaluated and restricted", cis.QuerySelector("tr[data-control='7.1'] td:nth-child(2)")!.TextContent);

        // The unreadable Sandbox subscription is named as such; what day 2 resolved is listed.
        Assert.Equal("error", dom.QuerySelector("#scope-table tr[data-scope='/subscriptions/c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02']")!.GetAttribute("data-status"));
        Assert.Equal(counts["resolved"]!.GetValue<int>(), dom.QuerySelectorAll("#resolved-table tbody tr").Length);

        // A screenshot of the page as a person opens it; COMPLIANCE_APPROVE=1 keeps it as the README's picture.
        var png = _temp.File("report.png");
        await HeadlessChromium.ScreenshotAsync(html, png);
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.True(bytes.Length > 50_000, $"the screenshot is {bytes.Length} bytes: a blank page?");
        if (Environment.GetEnvironmentVariable("COMPLIANCE_APPROVE") == "1")
        {
            File.Copy(png, RepoPaths.File("docs", "report-two-day-example.png"), overwrite: true);
        }
    }

    [Fact]
    public async Task Markup_in_a_resource_name_stays_text_and_the_page_requests_nothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hostile = $"<script>document.title='pwned';fetch('http://127.0.0.1:{port}/script')</script><img src=\"http://127.0.0.1:{port}/img\" onerror=\"document.title='pwned'\">&amp;\"'";
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Day1Snapshot))!;
        var nsg = snapshot["resources"]!.AsArray().First(r => r!["name"]!.GetValue<string>() == "nsg-dev")!;
        nsg["name"] = hostile;
        nsg["tags"] = new JsonObject { ["owner"] = $"<style>body{{background:url(http://127.0.0.1:{port}/css)}}</style>" };
        var path = _temp.File("hostile.json");
        await File.WriteAllTextAsync(path, snapshot.ToJsonString());
        await ScanAsync(Day1, path);
        var html = _temp.File("report.html");
        var (code, _, error) = await CliRunner.RunAtAsync(Day1, "report", "--store", Store, "--out", html);
        Assert.True(code == 0, error);

        var dom = await RenderAsync(html);

        Assert.StartsWith("Compliance report", dom.Title, StringComparison.Ordinal);
        Assert.Single(dom.QuerySelectorAll("script"));
        Assert.Empty(dom.QuerySelectorAll("img, iframe, object, embed, link, base"));
        Assert.Single(dom.QuerySelectorAll("style"));
        var names = dom.QuerySelectorAll("#findings .resource-name").Where(n => n.TextContent == hostile).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.Empty(n.Children));
        var text = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain("src=\"", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", dom.QuerySelector("style")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(dom.QuerySelectorAll("#findings td"), td => td.TextContent.Contains(hostile, StringComparison.Ordinal));

        // Nothing reached the loopback listener the markup points at (the browser has finished: the DOM is dumped).
        Assert.False(listener.Pending(), "the report made a request");
    }

    [Fact]
    public async Task Scan_with_out_writes_the_report_beside_the_csv_and_says_why_not_without_a_store()
    {
        var outDir = _temp.File("out");
        var (code, _, error) = await CliRunner.RunAtAsync(Day1, "scan", "--snapshot", Day1Snapshot, "--store", Store, "--out", outDir);

        Assert.True(code == 0, error);
        var runId = (await RunsAsync())[0]!["runId"]!.GetValue<string>();
        Assert.Contains($"Wrote the report of run {runId} to {Path.Combine(outDir, "report.html")}", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "findings.csv")));
        Assert.Contains(runId, await File.ReadAllTextAsync(Path.Combine(outDir, "report.html")), StringComparison.Ordinal);

        var none = _temp.File("none");
        var (noneCode, _, noneError) = await CliRunner.RunAtAsync(Day1, "scan", "--snapshot", Day1Snapshot, "--store", "none", "--out", none);
        Assert.Equal(0, noneCode);
        Assert.False(File.Exists(Path.Combine(none, "report.html")));
        Assert.Contains("No report.html with --store none", noneError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_without_runs_or_an_unknown_run_is_exit_2_with_what_to_do()
    {
        var empty = await CliRunner.RunAtAsync(Day1, "report", "--store", Store, "--out", _temp.File("r.html"));
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("run 'compliance scan' first", empty.Error, StringComparison.Ordinal);

        await ScanAsync(Day1, Day1Snapshot);
        var unknown = await CliRunner.RunAtAsync(Day1, "report", "--store", Store, "--run", "20991231T000000Z-deadbeef", "--out", _temp.File("r.html"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no such run", unknown.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("r.html")));
    }

    private static int Value(IElement? element)
    {
        Assert.NotNull(element);
        return int.Parse(element.GetAttribute("data-value")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IDocument> RenderAsync(string html) =>
        await new HtmlParser().ParseDocumentAsync(await HeadlessChromium.DumpDomAsync(html));

    private async Task ScanAsync(DateTimeOffset at, string snapshot)
    {
        var (code, _, error) = await CliRunner.RunAtAsync(at, "scan", "--snapshot", snapshot, "--store", Store, "--format", "json");
        Assert.True(code is 0 or 1, error);
    }

    private async Task<JsonArray> RunsAsync()
    {
        var (code, json, error) = await CliRunner.RunAtAsync(Day2, "runs", "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        return JsonNode.Parse(json)!.AsArray();
    }

    private async Task<List<JsonNode>> FindingsAsync()
    {
        var (code, json, error) = await CliRunner.RunAtAsync(Day2, "findings", "--store", Store, "--format", "json");
        Assert.True(code == 0, error);
        return JsonNode.Parse(json)!.AsArray().Select(n => n!).ToList();
    }
}
