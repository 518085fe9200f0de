using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Compliance.Azure.Collectors.Clouds;
using Compliance.Azure.LogAnalytics;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.LogAnalytics;

/// <summary>Findings into Log Analytics through the Logs Ingestion API, against a loopback fake of the endpoint.</summary>
public sealed class LogsIngestionClientTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 30, 0, TimeSpan.Zero);
    private readonly InstantTimeProvider _time = new(Now);
    private readonly FakeCredential _credential = new();
    private FakeLogsIngestion _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeLogsIngestion.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_large_run_goes_in_calls_of_at_most_one_megabyte_and_every_finding_arrives_once()
    {
        var run = Run();
        var findings = Findings(5000);

        var result = await Exporter().ExportAsync(run, findings.ToAsyncEnumerable(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(5000, result.RowsSent);
        Assert.True(_fake.Calls.Count >= 3, $"{_fake.Calls.Count} call(s)");
        Assert.All(_fake.Calls, c => Assert.InRange(c.Bytes, 1, 1_000_000));
        Assert.Equal(result.Calls, _fake.Calls.Count);
        Assert.Equal(5000, _fake.Rows.Select(r => r["FindingId"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(5000, _fake.Rows.Count);
        Assert.Equal([AzureCloud.Public.MonitorIngestionScope], _credential.Scopes.Distinct());

        var row = _fake.Rows.First(r => r["FindingId"]!.GetValue<string>() == findings[7].Finding.FindingId);
        Assert.Equal("2026-11-27T02:04:10.0000000Z", row["TimeGenerated"]!.GetValue<string>());
        Assert.Equal((run.RunId, "completed", "fail", "high", "encryption", "new"), (row["RunId"]!.GetValue<string>(), row["RunStatus"]!.GetValue<string>(), row["Outcome"]!.GetValue<string>(), row["Severity"]!.GetValue<string>(), row["Category"]!.GetValue<string>(), row["HistoryStatus"]!.GetValue<string>()));
        Assert.Equal(["3.1.1"], row["Controls"]!["CIS-Azure-3.0.0"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Throttling_is_waited_out_as_Retry_After_says()
    {
        _fake.Script.Enqueue((429, "3", "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Rate limit is exceeded\"}}"));

        var result = await Client().UploadAsync(Rows(10), CancellationToken.None);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(10, _fake.Rows.Count);
        Assert.Contains(TimeSpan.FromSeconds(3), _time.Waits);
        Assert.Equal([429, 204], _fake.Calls.Select(c => c.Status));
    }

    [Fact]
    public async Task A_denied_call_is_a_failure_that_names_the_role_and_quotes_no_body()
    {
        _fake.Script.Enqueue((403, null, "{\"error\":{\"code\":\"OperationFailed\",\"message\":\"The authentication token provided does not have access to ingest data for https://x.example/path?sig=secret\"}}"));

        var result = await Client().UploadAsync(Rows(10), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal((0, 10), (result.RowsSent, result.RowsFailed));
        Assert.Contains("answered 403 OperationFailed", result.Detail, StringComparison.Ordinal);
        Assert.Contains("'Monitoring Metrics Publisher'", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", result.Detail, StringComparison.Ordinal);
        Assert.Single(_fake.Calls);
    }

    [Fact]
    public async Task A_call_refused_as_too_large_is_split_and_a_row_larger_than_any_call_is_counted_as_failed()
    {
        _fake.Limit = 40_000;
        var rows = Rows(200).ToBlockingEnumerable().Append(new JsonObject { ["FindingId"] = "huge", ["Reason"] = new string('x', 1_100_000) }).ToAsyncEnumerable();

        var result = await Client().UploadAsync(rows, CancellationToken.None);

        Assert.Equal((200, 1), (result.RowsSent, result.RowsFailed));
        Assert.Contains(_fake.Calls, c => c.Status == 413);
        Assert.Equal(200, _fake.Rows.Count);
        Assert.Contains("larger than one call may carry", result.Detail, StringComparison.Ordinal);
    }

    private LogsIngestionClient Client() => new(
        new LogAnalyticsOptions { Endpoint = new Uri("https://compliance-dce-a1b2.westeurope-1.ingest.monitor.azure.com"), RuleId = FakeLogsIngestion.RuleId, Stream = FakeLogsIngestion.Stream },
        _credential,
        AzureCloud.Public.MonitorIngestionScope,
        _time,
        new HttpClientTransport(new HttpClient(new LoopbackRouter(_fake.Port))));

    private FindingsExporter Exporter() => new(Client(), null!, _time, NullLogger<FindingsExporter>.Instance);

    private static async IAsyncEnumerable<JsonObject> Rows(int count)
    {
        await Task.Yield();
        foreach (var finding in Findings(count))
        {
            yield return FindingRows.Row(Run(), finding, Now);
        }
    }

    private static RunRecord Run() => new()
    {
        RunId = "20261127T020000Z-3f9c1a2b",
        TenantId = "11111111-1111-1111-1111-111111111111",
        StartedAt = new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 27, 2, 4, 10, TimeSpan.Zero),
        Status = RunStatus.Completed,
        Scopes = [new RunScope("/subscriptions/00000000-0000-0000-0000-000000000001", "Prod", ScopeStatus.Ok)],
    };

    private static List<StoredFinding> Findings(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var id = $"/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-{i % 40:D2}/providers/Microsoft.Storage/storageAccounts/stprod{i:D5}";
        return new StoredFinding(
            new Finding
            {
                FindingId = FindingId.Compute("AZ-ENC-001", id),
                RuleId = "AZ-ENC-001",
                RuleTitle = "Storage accounts require TLS 1.2 or newer",
                PackId = "azure-encryption",
                PackVersion = "1.0.0",
                ResourceId = id,
                ResourceName = $"stprod{i:D5}",
                ResourceType = "microsoft.storage/storageaccounts",
                Location = "westeurope",
                SubscriptionId = "00000000-0000-0000-0000-000000000001",
                Outcome = Outcome.Fail,
                Severity = Severity.High,
                Category = RuleCategory.Encryption,
                Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']",
                Controls = new Dictionary<string, IReadOnlyList<string>> { ["CIS-Azure-3.0.0"] = ["3.1.1"], ["NIST-800-53-r5"] = ["SC-8", "SC-13"] },
            },
            "/subscriptions/00000000-0000-0000-0000-000000000001",
            HistoryStatus.New);
    }).ToList();
}
