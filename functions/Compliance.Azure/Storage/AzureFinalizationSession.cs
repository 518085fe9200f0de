using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Azure.Storage;

/// <summary>
/// A finalisation in Table storage, which has no transaction across partitions: the tenant's head
/// entity ("the latest finished run") is read with its ETag when the session begins, and moved to
/// this run only if nobody moved it meanwhile (If-Match) — otherwise the commit reports that another
/// run finished first and the finaliser starts again against it. Writes are idempotent (statuses
/// merged, carried findings replaced, states replaced), and carried findings a dead attempt left
/// behind are deleted by id on commit.
/// </summary>
internal sealed class AzureFinalizationSession : IFinalizationSession
{
    private readonly AzureReportStore _store;
    private readonly TableEntity? _head;
    private readonly HashSet<string> _staleCarried;

    private AzureFinalizationSession(AzureReportStore store, RunRecord run, RunRecord? previous, TableEntity? head, HashSet<string> staleCarried)
    {
        _store = store;
        Run = run;
        Previous = previous;
        _head = head;
        _staleCarried = staleCarried;
    }

    public RunRecord Run { get; }

    public RunRecord? Previous { get; }

    public bool CanUndo => false;

    public static async Task<AzureFinalizationSession> BeginAsync(AzureReportStore store, string runId, CancellationToken cancellationToken)
    {
        var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        if (run.Status != RunStatus.Finalizing)
        {
            throw new ReportStoreException($"run '{runId}' is {run.Status.ToWire()}, not finalizing: claim it first");
        }

        var response = await store.Runs.GetEntityIfExistsAsync<TableEntity>(HeadPartition(run.TenantId), HeadRow, cancellationToken: cancellationToken);
        var head = response.HasValue ? response.Value : null;

        // A head already on this run is a commit that died before it marked the run: its previous run stands.
        var previousId = head is null ? null
            : head.GetString("LatestRunId") == runId ? head.GetString("PreviousRunId")
            : head.GetString("LatestRunId");
        var previous = string.IsNullOrEmpty(previousId) ? null : await store.GetRunAsync(previousId, cancellationToken);

        var stale = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in store.Findings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId} and Carried eq true"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            stale.Add(e.RowKey);
        }

        return new AzureFinalizationSession(store, run, previous, head, stale);
    }

    public IAsyncEnumerable<FindingKey> CurrentAsync(CancellationToken cancellationToken) =>
        KeysAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Run.RunId} and Carried eq false"), cancellationToken);

    public IAsyncEnumerable<FindingKey> PreviousAsync(CancellationToken cancellationToken) =>
        KeysAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Previous?.RunId ?? "~none"}"), cancellationToken);

    public async IAsyncEnumerable<FindingState> StatesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Entities of a partition come back in RowKey order: finding id order.
        await foreach (var e in _store.States.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(Run.TenantId)}"), 1000, cancellationToken: cancellationToken))
        {
            yield return AzureReportStore.ToState(e, Run.TenantId);
        }
    }

    public Task<IReadOnlyList<StoredFinding>> GetPreviousAsync(IReadOnlyCollection<FindingKey> findings, CancellationToken cancellationToken) =>
        Previous is null ? Task.FromResult<IReadOnlyList<StoredFinding>>([]) : _store.GetFindingsAsync(Previous.RunId, findings.Select(f => f.FindingId).ToList(), cancellationToken);

    public async Task WriteAsync(FinalizationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var statuses = batch.Statuses
            .Select(s => new TableEntity(Run.RunId, s.FindingId) { ["HistoryStatus"] = s.Status is { } status ? status.ToWire() : string.Empty })
            .ToList();
        await AzureReportStore.SubmitAsync(_store.Findings, statuses, TableTransactionActionType.UpdateMerge, cancellationToken);

        var carried = new List<TableEntity>(batch.Carried.Count);
        foreach (var finding in batch.Carried)
        {
            carried.Add(await _store.ToEntityAsync(Run.RunId, finding with { Carried = true }, cancellationToken));
            _staleCarried.Remove(finding.Finding.FindingId);
        }

        await AzureReportStore.SubmitAsync(_store.Findings, carried, TableTransactionActionType.UpsertReplace, cancellationToken);
        await AzureReportStore.SubmitAsync(_store.States, batch.States.Select(AzureReportStore.FromState).ToList(), TableTransactionActionType.UpsertReplace, cancellationToken);
    }

    public Task UndoAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("Table storage has no transaction to undo: the finaliser counts before it writes");

    /// <summary>Table storage has no set-wise update: a first run goes through the merge like any other.</summary>
    public Task<RunCounts?> TryMarkFirstRunAsync(CancellationToken cancellationToken) => Task.FromResult<RunCounts?>(null);

    public async Task<bool> CommitAsync(RunFinalization finalization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finalization);
        await AzureReportStore.SubmitAsync(_store.Findings, _staleCarried.Select(id => new TableEntity(Run.RunId, id)).ToList(), TableTransactionActionType.Delete, cancellationToken);

        if (finalization.Status.IsBaseline())
        {
            var head = new TableEntity(HeadPartition(Run.TenantId), HeadRow)
            {
                ["LatestRunId"] = Run.RunId,
                ["PreviousRunId"] = Previous?.RunId ?? string.Empty,
                ["FinishedAt"] = IsoTime.Sortable(finalization.FinishedAt),
            };
            try
            {
                if (_head is null)
                {
                    await _store.Runs.AddEntityAsync(head, cancellationToken);
                }
                else
                {
                    await _store.Runs.UpdateEntityAsync(head, _head.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                return false;
            }
        }

        var run = new TableEntity(Run.RunId, TableKeys.Run)
        {
            ["Status"] = finalization.Status.ToWire(),
            ["FinishedAt"] = IsoTime.Sortable(finalization.FinishedAt),
            ["PreviousRunId"] = finalization.PreviousRunId ?? string.Empty,
            ["Counts"] = StoreJson.Serialize(finalization.Counts),
            ["SuspectReason"] = finalization.SuspectReason ?? string.Empty,
            ["ChangesAccepted"] = finalization.ChangesAccepted,
            ["ClaimedAt"] = string.Empty,
        };
        await _store.Runs.UpdateEntityAsync(run, ETag.All, TableUpdateMode.Merge, cancellationToken);
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private const string HeadRow = "head";

    /// <summary>The tenant's head lives in the runs table under a partition no run id can have ('~').</summary>
    private static string HeadPartition(string tenantId) => "tenant~" + TableKeys.Escape(tenantId);

    private async IAsyncEnumerable<FindingKey> KeysAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _store.Findings.QueryAsync<TableEntity>(filter, 1000, AzureReportStore.KeyColumns, cancellationToken))
        {
            yield return await _store.KeyAsync(e, Run.TenantId, cancellationToken);
        }
    }
}
