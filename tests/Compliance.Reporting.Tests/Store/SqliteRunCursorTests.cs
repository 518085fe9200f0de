using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Sqlite;
using Compliance.Reporting.Store;
using Microsoft.Data.Sqlite;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// A finalised run read whole goes through two cursors walked side by side (SqliteRunCursor) and
/// SQLite's own API (SqliteRowReader); a filtered or paged read still joins findings to resources.
/// Both must give the same findings, field for field and in the same order.
/// </summary>
public sealed class SqliteRunCursorTests : IDisposable
{
    private static readonly Outcome[] EveryOutcome = [Outcome.Pass, Outcome.Fail, Outcome.Error, Outcome.Suppressed];

    private readonly SqliteTestStore _sqlite = new();

    public void Dispose() => _sqlite.Dispose();

    [Fact]
    public async Task A_whole_run_reads_as_the_filtered_read_does_field_for_field()
    {
        var user = Finding("AZ-ACC-031", "0000882c-us00-0000-0000-000000000000", Outcome.Fail, packId: "azure-access") with
        {
            ResourceName = "user34860@contoso.example",
            ResourceType = "microsoft.graph/users",
            Location = null,
            SubscriptionId = null,
        };
        var hostile = Finding("AZ-ENC-001", Resource(Prod, "=cmd|' /C calc'!A0"), Outcome.Suppressed) with
        {
            ResourceName = "=HYPERLINK(\"http://evil.example\")\t\r\n\"quoted\" 名前 😀",
            Tags = new Dictionary<string, string> { ["owner"] = "@evil", ["cost,center"] = "-1+1", ["empty"] = string.Empty },
            SuppressionJustification = "Legacy client; replacement CHG-1234",
            SuppressionExpiresOn = T0.AddDays(30),
        };
        var quiet = Finding("AZ-ENC-002", Resource(Prod, "stquiet"), Outcome.Pass) with { Evidence = [], Location = null, Reason = "Compliant: Rule AZ-ENC-002." };
        var findings = new List<Finding> { user, hostile, quiet };
        findings.AddRange(Enumerable.Range(0, 40).Select(i => Finding(i % 2 == 0 ? "AZ-ENC-001" : "AZ-ENC-003", Resource(i % 3 == 0 ? Dev : Prod, $"st{i % 17:00}"), i % 5 == 0 ? Outcome.Pass : Outcome.Fail)));
        await _sqlite.ScanAsync("run-1", findings);

        var whole = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1" });
        var joined = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1", Outcomes = EveryOutcome });

        Assert.Equal(findings.Select(f => f.FindingId).Distinct().Count(), whole.Count);
        Assert.Equal(joined.Select(Describe), whole.Select(Describe));
        var userRead = whole.Single(f => f.Finding.FindingId == user.FindingId);
        Assert.Equal(Entra, userRead.ScopeId);
        Assert.Equal(FindingJson.Serialize(user), FindingJson.Serialize(userRead.Finding));
        Assert.Equal(FindingJson.Serialize(hostile), FindingJson.Serialize(whole.Single(f => f.Finding.FindingId == hostile.FindingId).Finding));
        Assert.Equal(FindingJson.Serialize(quiet), FindingJson.Serialize(whole.Single(f => f.Finding.FindingId == quiet.FindingId).Finding));
    }

    [Fact]
    public async Task A_whole_run_read_from_a_continuation_token_gives_the_rest_in_order()
    {
        await _sqlite.ScanAsync("run-1", Enumerable.Range(0, 30).Select(i => Finding("AZ-ENC-001", Resource(Prod, $"st{i:00}"), Outcome.Fail)).ToList());
        var all = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1" });
        var first = await _sqlite.Store.ListFindingsAsync(new FindingQuery { RunId = "run-1", PageSize = 11 });

        var rest = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1", ContinuationToken = first.ContinuationToken });

        Assert.Equal(all.Skip(11).Select(Describe), rest.Select(Describe));
    }

    [Fact]
    public async Task Carried_findings_are_read_or_left_out_as_the_query_says()
    {
        var kept = Finding("AZ-ENC-001", Resource(Prod, "stkept"), Outcome.Fail);
        var gone = Finding("AZ-ENC-001", Resource(Prod, "stgone"), Outcome.Fail);
        await _sqlite.ScanAsync("run-1", [kept, gone]);
        await _sqlite.ScanAsync("run-2", [kept]);

        var withCarried = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-2" });
        var withoutCarried = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-2", IncludeCarried = false });

        var carried = Assert.Single(withCarried, f => f.Carried);
        Assert.Equal(gone.FindingId, carried.Finding.FindingId);
        Assert.Equal(HistoryStatus.Resolved, carried.Status);
        Assert.Equal(kept.FindingId, Assert.Single(withoutCarried).Finding.FindingId);
        Assert.Equal((await _sqlite.ReadAsync(new FindingQuery { RunId = "run-2", Outcomes = EveryOutcome })).Select(Describe), withCarried.Select(Describe));
    }

    [Fact]
    public async Task A_finding_whose_resource_row_is_missing_is_left_out_by_both_reads()
    {
        var lost = Finding("AZ-ENC-001", Resource(Prod, "stlost"), Outcome.Fail);
        var findings = new List<Finding> { lost, Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail), Finding("AZ-ENC-002", Resource(Prod, "st1"), Outcome.Pass), Finding("AZ-ENC-001", Resource(Dev, "st2"), Outcome.Fail) };
        await _sqlite.ScanAsync("run-1", findings);
        Assert.Equal(1, await _sqlite.ExecuteAsync("DELETE FROM resources WHERE resource_id = $id", ("$id", lost.ResourceId)));

        var whole = await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1" });

        Assert.Equal(3, whole.Count);
        Assert.DoesNotContain(whole, f => f.Finding.FindingId == lost.FindingId);
        Assert.Equal((await _sqlite.ReadAsync(new FindingQuery { RunId = "run-1", Outcomes = EveryOutcome })).Select(Describe), whole.Select(Describe));
    }

    [Fact]
    public async Task The_row_reader_gives_nulls_empty_text_unicode_numbers_and_bytes_as_stored()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        using var reader = new SqliteRowReader(connection, "SELECT ?1, ?2, ?3, ?4, ?5, NULL", "名前 😀 \"quoted\"", string.Empty, -9_007_199_254_740_993L, new byte[] { 0, 1, 0xfe, 0xff }, null);

        Assert.True(reader.Read());
        Assert.Equal("名前 😀 \"quoted\"", reader.Text(0));
        Assert.Equal(string.Empty, reader.Text(1));
        Assert.False(reader.IsNull(1));
        Assert.Equal(-9_007_199_254_740_993L, reader.Int64(2));
        Assert.Equal(new byte[] { 0, 1, 0xfe, 0xff }, reader.Blob(3).ToArray());
        Assert.True(reader.IsNull(4));
        Assert.Null(reader.Text(5));
        Assert.True(reader.Blob(5).IsEmpty);
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task A_failure_while_reading_is_the_sqlite_error_not_the_end_of_the_rows()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        using var reader = new SqliteRowReader(connection, "SELECT json_extract(value, '$.a') FROM json_each('[\"{\\\"a\\\":1}\", 2]') UNION ALL SELECT json_extract('not json', '$.a')");

        var error = Assert.Throws<SqliteException>(() =>
        {
            while (reader.Read())
            {
            }
        });

        Assert.Contains("JSON", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<SqliteException>(() => new SqliteRowReader(connection, "SELECT FROM nowhere"));
    }

    private static string Describe(StoredFinding f) =>
        $"{FindingJson.Serialize(f.Finding)} scope={f.ScopeId} status={f.Status?.ToWire()} carried={f.Carried}";
}
