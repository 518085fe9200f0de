using System.Text;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Csv;
using CsvHelper;

namespace Compliance.Cli.Output;

/// <summary>
/// What a scan writes, from the stream of its findings (read back from the store, or straight from
/// the engine with --store none): the JSON array or CSV on standard output, or findings.json,
/// findings.csv and summary.txt under --out; the readable summary; the tally for --fail-on.
/// </summary>
internal sealed class ScanOutputs : IDisposable, IAsyncDisposable
{
    private readonly CliEnvironment _env;
    private readonly string? _outDir;
    private readonly string _format;
    private readonly StreamWriter? _jsonFile;
    private readonly StreamWriter? _csvFile;
    private readonly FindingsJsonWriter? _json;
    private readonly CsvWriter? _csv;

    private readonly bool _details;

    public ScanOutputs(CliEnvironment env, string? outDir, string format, bool details = false)
    {
        _details = details;
        _env = env;
        _outDir = outDir;
        _format = format;
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            _jsonFile = new StreamWriter(Path.Combine(outDir, "findings.json"), false, new UTF8Encoding(false), 1 << 16);
            _csvFile = new StreamWriter(Path.Combine(outDir, "findings.csv"), false, new UTF8Encoding(false), 1 << 16);
        }

        _json = _jsonFile is not null ? new FindingsJsonWriter(_jsonFile) : format == "json" ? new FindingsJsonWriter(env.Out) : null;
        _csv = _csvFile is not null ? FindingsCsvWriter.Open(_csvFile) : format == "csv" ? FindingsCsvWriter.Open(env.Out) : null;
    }

    public ScanTally Tally { get; } = new();

    private bool KeepDetails => _outDir is not null || _format == "table";

    public void Add(Reporting.Store.StoredFinding stored, string runId, DateTimeOffset runTime, string? tenantId)
    {
        Tally.Add(stored, KeepDetails);
        _json?.Write(stored);
        if (_csv is not null)
        {
            FindingsCsvWriter.WriteRow(_csv, new FindingRow(runId, runTime, tenantId, stored.Finding, stored.Status.ToWire()));
        }
    }

    /// <summary>Closes the finding outputs and writes the summary (a file under --out, standard output for the table format, a line on standard error otherwise).</summary>
    public async Task FinishAsync(SnapshotHeader header, string snapshotName, long resources, int rules, int packs, ScanHistory history, CancellationToken cancellationToken)
    {
        _json?.Close();
        _csv?.Flush();
        if (_jsonFile is not null)
        {
            await _jsonFile.FlushAsync(cancellationToken);
        }

        if (_csvFile is not null)
        {
            await _csvFile.FlushAsync(cancellationToken);
        }

        var stored = history.Run is { } run ? $"Stored as run {run.RunId} ({run.Status.ToWire()}) in {history.StorePath}." : "Not stored (--store none): no history.";
        if (_outDir is not null)
        {
            var summaryPath = Path.Combine(_outDir, "summary.txt");
            await using (var summaryFile = new StreamWriter(summaryPath, false, new UTF8Encoding(false)))
            {
                SummaryReport.Render(PlainConsoles.For(summaryFile), Tally, header, snapshotName, resources, rules, packs, history, _details);
            }

            _env.Error.WriteLine($"Wrote {Tally.Total} findings to {Path.Combine(_outDir, "findings.json")}, findings.csv and summary.txt " +
                                 $"({Counts()}; {HistoryLine()}). {stored}");
        }
        else if (_format == "table")
        {
            SummaryReport.Render(PlainConsoles.For(_env.Out, _env.Width), Tally, header, snapshotName, resources, rules, packs, history, _details);
        }
        else
        {
            _env.Error.WriteLine($"{Tally.Total} findings: {Counts()}; {HistoryLine()}. {stored}");
        }

        if (history.Run is { Status: Reporting.Store.RunStatus.Suspect } suspect)
        {
            _env.Error.WriteLine($"warning: run {suspect.RunId} is suspect and resolved nothing: {suspect.SuspectReason}. If the change is real, scan again with --accept-changes.");
        }

        foreach (var expired in history.Suppressions.Expired)
        {
            _env.Error.WriteLine($"warning: suppression {expired.Id} ({expired.Describe()}, owner {expired.Owner}, {expired.Source ?? "store"}) expired {IsoTime.Minutes(expired.ExpiresOn)} and no longer applies.");
        }

        foreach (var broad in history.Suppressions.Broad)
        {
            _env.Error.WriteLine($"warning: broad suppression {broad.Id} ({broad.Describe()}, owner {broad.Owner}, {broad.Source ?? "store"}) is in force until {IsoTime.Minutes(broad.ExpiresOn)}.");
        }
    }

    public void Dispose()
    {
        _json?.Dispose();
        _csv?.Dispose();
        _jsonFile?.Dispose();
        _csvFile?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _json?.Dispose();
        if (_csv is not null)
        {
            await _csv.DisposeAsync();
        }

        if (_jsonFile is not null)
        {
            await _jsonFile.DisposeAsync();
        }

        if (_csvFile is not null)
        {
            await _csvFile.DisposeAsync();
        }
    }

    private string Counts() =>
        $"{Tally.Count(Outcome.Fail)} fail, {Tally.Count(Outcome.Error)} error, {Tally.Count(Outcome.Suppressed)} suppressed, {Tally.Count(Outcome.Pass)} pass";

    private string HistoryLine() =>
        $"{Tally.Count(Reporting.History.HistoryStatus.New)} new, {Tally.Count(Reporting.History.HistoryStatus.Regressed)} regressed, " +
        $"{Tally.Count(Reporting.History.HistoryStatus.Persisting)} persisting, {Tally.Count(Reporting.History.HistoryStatus.Resolved)} resolved";
}
