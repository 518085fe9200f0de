using System.Globalization;

namespace Compliance.Reporting.Csv;

/// <summary>
/// controls-summary.csv: one row per framework of the run — its controls passed, failed, not assessed
/// (error), passed only by an accepted exception (suppressed) and not covered (controls of the
/// framework's catalog no rule of the run assesses; empty without a catalog). Same conventions as
/// controls.csv: RFC 4180, UTF-8, fixed columns, every cell neutralised for spreadsheets.
/// </summary>
public static class ControlsSummaryCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "runId", "runTime", "collectedAt", "tenantId", "framework", "frameworkTitle", "controlsAssessed", "passed", "failed", "error", "suppressed",
        "notCovered", "catalogControls",
    ];

    public static void Write(TextWriter writer, string runId, DateTimeOffset runTime, DateTimeOffset? collectedAt, string? tenantId, IEnumerable<FrameworkSummary> frameworks)
    {
        using var csv = new CsvHelper.CsvWriter(writer, FindingsCsvWriter.Configuration, leaveOpen: true);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var framework in frameworks)
        {
            string[] cells =
            [
                runId,
                CsvCells.Time(runTime),
                collectedAt is { } collected ? CsvCells.Time(collected) : string.Empty,
                tenantId ?? string.Empty,
                framework.Framework,
                framework.Title,
                Number(framework.Controls.Count),
                Number(framework.Passed),
                Number(framework.Failed),
                Number(framework.Error),
                Number(framework.Suppressed),
                framework.NotCovered is { } notCovered ? Number(notCovered) : string.Empty,
                framework.CatalogControls is { } catalog ? Number(catalog) : string.Empty,
            ];
            foreach (var cell in cells)
            {
                csv.WriteField(CsvCells.Safe(cell), shouldQuote: true);
            }

            csv.NextRecord();
        }

        csv.Flush();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
