using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using CsvHelper;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Csv;

/// <summary>findings.csv and controls.csv of a small run with hostile names, tags and text, against approved files.</summary>
public sealed class EvidenceCsvGoldenTests
{
    internal static IReadOnlyList<StoredFinding> Findings()
    {
        var hostileId = Resource(Prod, "=cmd");
        var hostile = Finding("AZ-ENC-001", hostileId, Outcome.Fail) with
        {
            ResourceName = "=HYPERLINK(\"http://evil.example\",\"click\")",
            Location = "@westeurope",
            Reason = "-2+3+cmd|' /C calc'!A0 is what the name says;\r\nsecond line, \"quoted\", comma",
            Message = "=Storage account accepts TLS1_0",
            Tags = new Dictionary<string, string> { ["owner"] = "+SUM(1,2)", ["\tnote"] = "名前 😀" },
        };
        var suppressed = Finding("AZ-ENC-002", Resource(Prod, "stsuppressed"), Outcome.Suppressed, Severity.Medium) with
        {
            SuppressionJustification = "@risk accepted: legacy client (owner: alice@northwind.example)",
            SuppressionExpiresOn = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var pass = Finding("AZ-ENC-001", Resource(Dev, "stok"), Outcome.Pass, Severity.High) with
        {
            Controls = new Dictionary<string, IReadOnlyList<string>> { ["CIS-Azure-3.0.0"] = ["3.15", "10.2", "3.2"], ["ISO-27001-2022"] = ["A.8.24"] },
        };
        var error = Finding("AZ-ENC-003", Resource(Dev, "stok"), Outcome.Error, Severity.Low) with { Reason = "properties.encryption is not an object", Evidence = [] };
        var numbers = Finding("AZ-ENC-002", Resource(Dev, "-5"), Outcome.Fail, Severity.Low) with { ResourceName = "-5", Location = "+1.5" };
        var gone = Finding("AZ-ENC-002", Resource(Prod, "stgone"), Outcome.Pass) with { Reason = "Resolved: the resource is no longer in subscription 'Northwind Production'." };
        return
        [
            new StoredFinding(hostile, Prod, HistoryStatus.New),
            new StoredFinding(suppressed, Prod, HistoryStatus.Persisting),
            new StoredFinding(pass, Dev, HistoryStatus.Resolved),
            new StoredFinding(error, Dev, HistoryStatus.New),
            new StoredFinding(numbers, Dev, HistoryStatus.Regressed),
            new StoredFinding(gone, Prod, HistoryStatus.Resolved, Carried: true),
        ];
    }

    [Fact]
    public void Findings_csv_matches_the_approved_file()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        FindingsCsvWriter.Write(writer, Findings().Select(f => new FindingRow("run-1", T0, Tenant, f.Finding, f.Status.ToWire())));

        Golden.Verify("findings.approved.csv", writer.ToString());
    }

    [Fact]
    public void The_evidence_column_holds_the_observed_values_and_the_message_its_own_column()
    {
        var finding = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail) with
        {
            Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']",
            Message = "Storage account st1 has minimum TLS version TLS1_0",
            Evidence =
            [
                new EvidenceItem("properties.minimumTlsVersion", "'TLS1_0'", "one of ['TLS1_2', 'TLS1_3']", false, "properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']"),
                new EvidenceItem("properties.supportsHttpsTrafficOnly", "true", "true", true, "properties.supportsHttpsTrafficOnly is true, as expected (true)"),
            ],
        };
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        FindingsCsvWriter.Write(writer, [new FindingRow("run-1", T0, Tenant, finding, null)]);

        using var csv = new CsvReader(new StringReader(writer.ToString()), FindingsCsvWriter.Configuration);
        csv.Read();
        csv.ReadHeader();
        csv.Read();
        Assert.Equal("properties.minimumTlsVersion = 'TLS1_0' | properties.supportsHttpsTrafficOnly = true", csv.GetField("evidence"));
        Assert.Equal("Storage account st1 has minimum TLS version TLS1_0", csv.GetField("message"));
        Assert.DoesNotContain("expected", csv.GetField("evidence"), StringComparison.Ordinal);
    }

    [Fact]
    public void Controls_csv_matches_the_approved_file()
    {
        var matrix = new ControlMatrix();
        foreach (var finding in Findings())
        {
            matrix.Add(finding);
        }

        var writer = new StringWriter(CultureInfo.InvariantCulture);
        ControlsCsvWriter.Write(writer, "run-1", T0, T0.AddMinutes(-5), Tenant, matrix.Rows());

        Golden.Verify("controls.approved.csv", writer.ToString());
    }

    [Fact]
    public void Controls_csv_can_be_limited_to_frameworks()
    {
        var matrix = new ControlMatrix(["iso-27001-2022"]);
        foreach (var finding in Findings())
        {
            matrix.Add(finding);
        }

        var row = Assert.Single(matrix.Rows());
        Assert.Equal(("ISO-27001-2022", "A.8.24", ControlStatus.Pass), (row.Framework, row.ControlId, row.Status));
        Assert.Equal(["AZ-ENC-001"], row.Rules);
    }

    [Fact]
    public void No_cell_of_either_file_starts_a_formula_and_every_value_reads_back()
    {
        var findingsCsv = new StringWriter(CultureInfo.InvariantCulture);
        FindingsCsvWriter.Write(findingsCsv, Findings().Select(f => new FindingRow("run-1", T0, Tenant, f.Finding, f.Status.ToWire())));

        using var reader = new CsvReader(new StringReader(findingsCsv.ToString()), CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(Findings().Count, rows.Count);
        foreach (var cell in rows.SelectMany(r => r.Values).Cast<string>().Where(c => c.Length > 0))
        {
            var isNumber = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            Assert.True(isNumber || cell[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r'), $"cell starts a formula: {cell}");
        }

        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", rows[0]["resourceName"]);
        Assert.Equal("-5", rows[4]["resourceName"]);
        Assert.Equal("+1.5", rows[4]["location"]);
        Assert.Equal("'-2+3+cmd|' /C calc'!A0 is what the name says;\r\nsecond line, \"quoted\", comma", rows[0]["reason"]);
        Assert.Equal("'\tnote=名前 😀; owner=+SUM(1,2)", rows[0]["tags"]);
    }
}
