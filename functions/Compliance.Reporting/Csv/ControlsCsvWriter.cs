using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Reporting.Controls;

namespace Compliance.Reporting.Csv;

/// <summary>
/// controls.csv: one row per (framework control, resource) for each framework, with the control's
/// title (where the framework's catalog has one) and status derived from its rules. Same conventions as findings.csv: RFC 4180, UTF-8, fixed
/// columns, every cell neutralised for spreadsheets.
/// </summary>
public static class ControlsCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "runId", "runTime", "collectedAt", "tenantId", "framework", "controlId", "controlTitle", "status", "subscriptionId", "resourceId", "resourceName",
        "resourceType", "rules", "failingRules", "pass", "fail", "error", "suppressed",
    ];

    /// <param name="writer">Where the CSV goes.</param>
    /// <param name="runId">The run, named on every row.</param>
    /// <param name="runTime">When the run started.</param>
    /// <param name="collectedAt">When the tenant was read (the snapshot's collectedAt), when known.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="rows">The control rows.</param>
    /// <param name="catalog">Control titles (the built-in catalogs when null).</param>
    public static void Write(TextWriter writer, string runId, DateTimeOffset runTime, DateTimeOffset? collectedAt, string? tenantId, IEnumerable<ControlRow> rows, ControlCatalog? catalog = null)
    {
        catalog ??= ControlCatalog.BuiltIn;
        using var csv = new CsvHelper.CsvWriter(writer, FindingsCsvWriter.Configuration, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var row in rows)
        {
            string[] cells =
            [
                runId,
                CsvCells.Time(runTime),
                collectedAt is { } collected ? CsvCells.Time(collected) : string.Empty,
                tenantId ?? string.Empty,
                row.Framework,
                row.ControlId,
                catalog.TitleOf(row.Framework, row.ControlId) ?? string.Empty,
                row.Status.ToWire(),
                row.SubscriptionId ?? string.Empty,
                row.ResourceId,
                row.ResourceName,
                row.ResourceType,
                string.Join(", ", row.Rules),
                string.Join(", ", row.FailingRules),
                row.Pass.ToString(CultureInfo.InvariantCulture),
                row.Fail.ToString(CultureInfo.InvariantCulture),
                row.Error.ToString(CultureInfo.InvariantCulture),
                row.Suppressed.ToString(CultureInfo.InvariantCulture),
            ];
            foreach (var cell in cells)
            {
                csv.WriteField(CsvCells.Safe(cell), shouldQuote: true);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }
}
