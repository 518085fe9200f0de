using System.Globalization;
using Compliance.Core.Findings;
using CsvHelper;
using CsvHelper.Configuration;

namespace Compliance.Reporting.Csv;

/// <summary>
/// findings.csv: one row per finding, RFC 4180, UTF-8, columns in a fixed order, every cell
/// neutralised for spreadsheets. <c>reason</c> says why, <c>message</c> says it in plain words, and
/// <c>evidence</c> holds the observed values (path = value).
/// </summary>
public static class FindingsCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "runId", "runTime", "tenantId", "subscriptionId", "resourceId", "resourceName", "resourceType", "location",
        "ruleId", "ruleTitle", "severity", "category", "outcome", "historyStatus", "reason", "message", "evidence", "controls",
        "remediation", "suppressionJustification", "suppressionExpiresOn", "findingId", "packId", "packVersion", "tags",
    ];

    public static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        InjectionOptions = InjectionOptions.None, // done by CsvCells, which spares numbers
    };

    /// <summary>Opens a writer and writes the header; call <see cref="WriteRow"/> for each finding.</summary>
    public static CsvWriter Open(TextWriter writer)
    {
        var csv = new CsvWriter(writer, Configuration, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        return csv;
    }

    public static void WriteRow(CsvWriter csv, FindingRow row)
    {
        var f = row.Finding;
        string[] cells =
        [
            row.RunId,
            CsvCells.Time(row.RunTime),
            row.TenantId ?? string.Empty,
            f.SubscriptionId ?? string.Empty,
            f.ResourceId,
            f.ResourceName,
            f.ResourceType,
            f.Location ?? string.Empty,
            f.RuleId,
            f.RuleTitle,
            f.Severity.ToWire(),
            f.Category.ToWire(),
            f.Outcome.ToWire(),
            row.HistoryStatus ?? string.Empty,
            f.Reason,
            f.Message ?? string.Empty,
            FormatEvidence(f.Evidence),
            FormatControls(f.Controls),
            f.Remediation ?? string.Empty,
            f.SuppressionJustification ?? string.Empty,
            f.SuppressionExpiresOn is { } expires ? CsvCells.Time(expires) : string.Empty,
            f.FindingId,
            f.PackId,
            f.PackVersion,
            FormatTags(f.Tags),
        ];
        foreach (var cell in cells)
        {
            csv.WriteField(CsvCells.Safe(cell), shouldQuote: true);
        }

        csv.NextRecord();
    }

    public static void Write(TextWriter writer, IEnumerable<FindingRow> rows)
    {
        using var csv = Open(writer);
        foreach (var row in rows)
        {
            WriteRow(csv, row);
        }

        csv.Flush();
    }

    /// <summary>
    /// The observed configuration, one deciding leaf each: "properties.minimumTlsVersion = 'TLS1_0' |
    /// properties.supportsHttpsTrafficOnly = true" (a count shows how many matched). The reason column
    /// already says why; this one says what was seen, at which path.
    /// </summary>
    public static string FormatEvidence(IReadOnlyList<EvidenceItem> evidence) =>
        string.Join(" | ", evidence.Select(e => $"{e.Path} = {e.Observed}"));

    /// <summary>"costCenter=CC-4410; env=prod", names in order.</summary>
    public static string FormatTags(IReadOnlyDictionary<string, string>? tags) =>
        tags is null ? string.Empty : string.Join("; ", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));

    /// <summary>"CIS-Azure-3.0.0: 7.1; NIST-800-53-r5: SC-7, AC-17", frameworks in name order.</summary>
    public static string FormatControls(IReadOnlyDictionary<string, IReadOnlyList<string>> controls) =>
        string.Join("; ", controls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {string.Join(", ", c.Value)}"));
}
