using System.Runtime.CompilerServices;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.LogAnalytics;

/// <summary>
/// The optional output that puts a finalised run's findings into Log Analytics (and so Sentinel),
/// one row per finding. It is an output like the evidence and the alert: the run finaliser calls
/// <see cref="ExportAsync(RunRecord, CancellationToken)"/> once the run is final, on its own — a failure
/// is a value (logged, returned), never an exception that stops the other outputs.
/// </summary>
public sealed class FindingsExporter(LogsIngestionClient client, IReportStore store, TimeProvider time, ILogger<FindingsExporter> logger)
{
    /// <summary>Exports every finding of <paramref name="run"/> as the store holds them (carried ones included, marked).</summary>
    public Task<LogsIngestionResult> ExportAsync(RunRecord run, CancellationToken cancellationToken) =>
        ExportAsync(run, ReadAsync(run.RunId, cancellationToken), cancellationToken);

    /// <summary>Exports the given findings of <paramref name="run"/> (a finaliser that streams them already passes them here).</summary>
    public async Task<LogsIngestionResult> ExportAsync(RunRecord run, IAsyncEnumerable<StoredFinding> findings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.IsFinalized)
        {
            throw new InvalidOperationException($"run '{run.RunId}' is not finalised: only finalised runs are exported");
        }

        var exportedAt = time.GetUtcNow();
        LogsIngestionResult result;
        try
        {
            result = await client.UploadAsync(Rows(run, findings, exportedAt, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new LogsIngestionResult(0, 0, 0, $"the findings could not be read for export: {ex.GetType().Name}: {Secrets.SecretRedactor.Redact(ex.Message)}");
            logger.LogError("Log Analytics export of run {RunId} failed: {Detail}", run.RunId, result.Detail);
            return result with { RowsFailed = 1 };
        }

        if (result.Succeeded)
        {
            logger.LogInformation("Log Analytics export of run {RunId}: {Detail}", run.RunId, result.Detail);
        }
        else
        {
            logger.LogError("Log Analytics export of run {RunId} incomplete: {Detail}", run.RunId, result.Detail);
        }

        return result;
    }

    private static async IAsyncEnumerable<System.Text.Json.Nodes.JsonObject> Rows(RunRecord run, IAsyncEnumerable<StoredFinding> findings, DateTimeOffset exportedAt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var finding in findings.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return FindingRows.Row(run, finding, exportedAt);
        }
    }

    private async IAsyncEnumerable<StoredFinding> ReadAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new FindingQuery { RunId = runId, PageSize = 1000, IncludeCarried = true };
        do
        {
            var page = await store.ListFindingsAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var finding in page.Findings)
            {
                yield return finding;
            }

            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);
    }
}
