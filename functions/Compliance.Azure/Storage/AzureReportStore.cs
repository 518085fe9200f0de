using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Storage;

/// <summary>
/// The cloud report store: Azure Tables for runs, findings, finding states and suppressions; Blob
/// storage for findings too large for an entity. A run and its scopes share a partition; findings
/// are partitioned by run and keyed by finding id, so a retried write replaces instead of adding.
/// The finalisation claim is a conditional update on the run entity's ETag.
/// </summary>
public sealed class AzureReportStore : IReportStore
{
    private const int BatchLimit = 100;
    private const int BatchBytes = 3 * 1024 * 1024;

    private readonly TableClient _runs;
    private readonly TableClient _findings;
    private readonly TableClient _states;
    private readonly TableClient _suppressions;
    private readonly BlobContainerClient _blobs;
    private readonly int _inlineLimit;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public AzureReportStore(TableServiceClient tables, BlobServiceClient blobs, IOptions<AzureStorageOptions> options)
    {
        var o = options.Value;
        _runs = tables.GetTableClient(o.TablePrefix + "Runs");
        _findings = tables.GetTableClient(o.TablePrefix + "Findings");
        _states = tables.GetTableClient(o.TablePrefix + "States");
        _suppressions = tables.GetTableClient(o.TablePrefix + "Suppressions");
        _blobs = blobs.GetBlobContainerClient(o.BlobContainer);
        _inlineLimit = o.InlineFindingLimit;
    }

    /// <summary>Deletes the store's tables and container (tests).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in new[] { _runs, _findings, _states, _suppressions })
        {
            await table.DeleteAsync(cancellationToken);
        }

        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default)
    {
        RunIds.Validate(run.RunId);
        await InitAsync(cancellationToken);
        if (await GetRunAsync(run.RunId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var scopes = run.ExpectedScopes
            .DistinctBy(s => s.Id.ToLowerInvariant())
            .Select((s, i) => new TableEntity(run.RunId, TableKeys.Scope(s.Id))
            {
                ["ScopeId"] = s.Id,
                ["DisplayName"] = s.DisplayName,
                ["Status"] = StoreJson.Wire(ScopeStatus.Pending),
                ["Ordinal"] = i,
            })
            .ToList();
        var runEntity = new TableEntity(run.RunId, TableKeys.Run)
        {
            ["TenantId"] = run.TenantId,
            ["StartedAt"] = StoreJson.Time(run.StartedAt),
            ["Status"] = StoreJson.Wire(RunStatus.Running),
            ["Trigger"] = run.Trigger,
            ["Packs"] = StoreJson.Serialize(run.Packs.ToList()),
            ["RuleIds"] = StoreJson.Serialize(run.RuleIds.ToList()),
        };

        // Everything is added, never replaced: a second creator of the same run (a retried timer)
        // cannot reset a scope that already reported. The run entity goes last, with the last scopes.
        var chunks = scopes.Chunk(BatchLimit - 1).ToList();
        for (var i = 0; i < Math.Max(1, chunks.Count); i++)
        {
            var actions = (i < chunks.Count ? chunks[i] : []).Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList();
            if (i == Math.Max(1, chunks.Count) - 1)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, runEntity));
            }

            try
            {
                await _runs.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 409)
            {
                // Someone else created (part of) it.
            }
        }

        return await GetRunAsync(run.RunId, cancellationToken) ?? throw new ReportStoreException($"run '{run.RunId}' vanished after it was created");
    }

    public async Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!RunIds.IsValid(runId))
        {
            return null;
        }

        await InitAsync(cancellationToken);
        TableEntity? runEntity = null;
        var scopes = new List<(int Ordinal, RunScope Scope)>();
        var notifications = new List<RunNotification>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken))
        {
            if (entity.RowKey == TableKeys.Run)
            {
                runEntity = entity;
            }
            else if (entity.RowKey.StartsWith(TableKeys.ScopePrefix, StringComparison.Ordinal))
            {
                scopes.Add((entity.GetInt32("Ordinal") ?? int.MaxValue, new RunScope(
                    entity.GetString("ScopeId"),
                    entity.GetString("DisplayName"),
                    StoreJson.ParseEnum<ScopeStatus>(entity.GetString("Status")),
                    entity.GetString("Error"),
                    Time(entity, "CompletedAt"))));
            }
            else if (entity.RowKey.StartsWith(TableKeys.NotificationPrefix, StringComparison.Ordinal))
            {
                notifications.Add(new RunNotification(
                    entity.GetString("Channel"),
                    Time(entity, "RecordedAt")!.Value,
                    entity.GetString("Status") is { Length: > 0 } status ? StoreJson.ParseEnum<NotificationStatus>(status) : NotificationStatus.Claimed,
                    entity.GetString("Detail") is { Length: > 0 } detail ? detail : null,
                    Time(entity, "CompletedAt")));
            }
        }

        return runEntity is null ? null : ToRun(runEntity) with
        {
            Scopes = scopes.OrderBy(s => s.Ordinal).ThenBy(s => s.Scope.Id, StringComparer.OrdinalIgnoreCase).Select(s => s.Scope).ToList(),
            Notifications = notifications.OrderBy(n => n.Channel, StringComparer.Ordinal).ToList(),
        };
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var filter = query.TenantId is null
            ? TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Run}")
            : TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Run} and TenantId eq {query.TenantId}");
        if (query.StartedBefore is { } before)
        {
            filter += TableClient.CreateQueryFilter($" and StartedAt lt {StoreJson.Time(before)}");
        }

        var candidates = new List<RunRecord>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var run = ToRun(entity);
            if (query.Statuses.Count == 0 || query.Statuses.Contains(run.Status))
            {
                candidates.Add(run);
            }
        }

        var result = new List<RunRecord>();
        foreach (var run in candidates.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).Take(Math.Max(0, query.Limit)))
        {
            if (await GetRunAsync(run.RunId, cancellationToken) is { } full)
            {
                result.Add(full);
            }
        }

        return result;
    }

    public async Task SaveFindingsAsync(string runId, string scopeId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default)
    {
        await RequireOpenRunAsync(runId, cancellationToken);
        var entities = new List<TableEntity>(findings.Count);
        foreach (var finding in findings)
        {
            entities.Add(await ToEntityAsync(runId, new StoredFinding(finding, scopeId), cancellationToken));
        }

        await SubmitAsync(_findings, entities, TableTransactionActionType.UpsertReplace, cancellationToken);
    }

    public async Task<RunRecord> CompleteScopeAsync(string runId, ScopeCompletion completion, CancellationToken cancellationToken = default)
    {
        var run = await RequireOpenRunAsync(runId, cancellationToken);
        var entity = new TableEntity(runId, TableKeys.Scope(completion.ScopeId))
        {
            ["ScopeId"] = run.FindScope(completion.ScopeId)?.Id ?? completion.ScopeId,
            ["Status"] = StoreJson.Wire(completion.Status),
            ["Error"] = completion.Error ?? string.Empty,
            ["CompletedAt"] = StoreJson.Time(completion.CompletedAt),
        };
        if (completion.DisplayName is not null)
        {
            entity["DisplayName"] = completion.DisplayName;
        }

        if (run.FindScope(completion.ScopeId) is null)
        {
            // Reported scopes the run did not expect come after the expected ones, in the order they report.
            entity["Ordinal"] = 1_000_000 + run.Scopes.Count;
        }

        await _runs.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        return (await GetRunAsync(runId, cancellationToken))!;
    }

    public async Task<bool> TryClaimFinalizationAsync(string runId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var response = await _runs.GetEntityIfExistsAsync<TableEntity>(runId, TableKeys.Run, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            throw new ReportStoreException($"run '{runId}' does not exist");
        }

        var entity = response.Value!;
        var status = StoreJson.ParseEnum<RunStatus>(entity.GetString("Status"));
        var claimedAt = Time(entity, "ClaimedAt");
        var claimable = status == RunStatus.Running || (status == RunStatus.Finalizing && claimedAt is { } at && at <= now - lease);
        if (!claimable)
        {
            return false;
        }

        var claim = new TableEntity(runId, TableKeys.Run)
        {
            ["Status"] = StoreJson.Wire(RunStatus.Finalizing),
            ["ClaimedAt"] = StoreJson.Time(now),
        };
        try
        {
            // Compare-and-set: only the caller that read the current ETag wins.
            await _runs.UpdateEntityAsync(claim, entity.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<FindingKey>> ListFindingKeysAsync(string runId, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var keys = new List<FindingKey>();
        var select = new[] { "RowKey", "RuleId", "PackId", "ResourceId", "ScopeId", "Outcome", "Severity", "HistoryStatus", "Carried" };
        await foreach (var e in _findings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), select: select, cancellationToken: cancellationToken))
        {
            keys.Add(new FindingKey(
                e.RowKey, e.GetString("RuleId"), e.GetString("PackId"), e.GetString("ResourceId"), e.GetString("ScopeId"),
                StoreJson.ParseEnum<Outcome>(e.GetString("Outcome")), StoreJson.ParseEnum<Severity>(e.GetString("Severity")),
                Status(e), e.GetBoolean("Carried") ?? false));
        }

        return keys.OrderBy(k => k.FindingId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var wanted = findingIds.ToHashSet(StringComparer.Ordinal);
        var entities = new List<TableEntity>();
        if (wanted.Count > 200)
        {
            await foreach (var e in _findings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken))
            {
                if (wanted.Contains(e.RowKey))
                {
                    entities.Add(e);
                }
            }
        }
        else
        {
            foreach (var id in wanted)
            {
                var response = await _findings.GetEntityIfExistsAsync<TableEntity>(runId, id, cancellationToken: cancellationToken);
                if (response.HasValue)
                {
                    entities.Add(response.Value!);
                }
            }
        }

        var result = new List<StoredFinding>(entities.Count);
        foreach (var e in entities.OrderBy(e => e.RowKey, StringComparer.Ordinal))
        {
            result.Add(await FromEntityAsync(e, cancellationToken));
        }

        return result;
    }

    public async Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.RunId}");
        filter += AnyOf("HistoryStatus", query.Statuses.Select(s => StoreJson.Wire(s)));
        filter += AnyOf("Severity", query.Severities.Select(s => s.ToWire()));
        filter += AnyOf("Outcome", query.Outcomes.Select(o => o.ToWire()));
        filter += AnyOf("Category", query.Categories.Select(c => c.ToWire()));
        if (!query.IncludeCarried)
        {
            filter += " and Carried eq false";
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        await foreach (var page in _findings.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(query.ContinuationToken, pageSize))
        {
            var findings = new List<StoredFinding>(page.Values.Count);
            foreach (var e in page.Values)
            {
                findings.Add(await FromEntityAsync(e, cancellationToken));
            }

            return new FindingPage(findings, page.ContinuationToken);
        }

        return new FindingPage([], null);
    }

    public async Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var wanted = findingIds.ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, FindingState>(StringComparer.Ordinal);
        var partition = TableKeys.Escape(tenantId);
        if (wanted.Count > 200)
        {
            await foreach (var e in _states.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
            {
                if (wanted.Contains(e.RowKey))
                {
                    result[e.RowKey] = StoreJson.Deserialize<FindingState>(e.GetString("Json"));
                }
            }
        }
        else
        {
            foreach (var id in wanted)
            {
                var response = await _states.GetEntityIfExistsAsync<TableEntity>(partition, id, cancellationToken: cancellationToken);
                if (response.HasValue)
                {
                    result[id] = StoreJson.Deserialize<FindingState>(response.Value!.GetString("Json"));
                }
            }
        }

        return result;
    }

    public async Task FinalizeRunAsync(RunFinalization finalization, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var run = await GetRunAsync(finalization.RunId, cancellationToken) ?? throw new ReportStoreException($"run '{finalization.RunId}' does not exist");
        var statusUpdates = finalization.Statuses
            .Select(s => new TableEntity(run.RunId, s.FindingId) { ["HistoryStatus"] = s.Status is { } status ? StoreJson.Wire(status) : string.Empty })
            .ToList();
        await SubmitAsync(_findings, statusUpdates, TableTransactionActionType.UpdateMerge, cancellationToken);

        var carried = new List<TableEntity>(finalization.Carried.Count);
        foreach (var finding in finalization.Carried)
        {
            carried.Add(await ToEntityAsync(run.RunId, finding with { Carried = true }, cancellationToken));
        }

        await SubmitAsync(_findings, carried, TableTransactionActionType.UpsertReplace, cancellationToken);

        var states = finalization.States
            .Select(s => new TableEntity(TableKeys.Escape(s.TenantId), s.FindingId)
            {
                ["LastRunId"] = s.LastRunId,
                ["LastSeenAt"] = StoreJson.Time(s.LastSeenAt),
                ["Json"] = StoreJson.Serialize(s),
            })
            .ToList();
        foreach (var partition in states.GroupBy(s => s.PartitionKey))
        {
            await SubmitAsync(_states, partition.ToList(), TableTransactionActionType.UpsertReplace, cancellationToken);
        }

        var runEntity = new TableEntity(run.RunId, TableKeys.Run)
        {
            ["Status"] = StoreJson.Wire(finalization.Status),
            ["FinishedAt"] = StoreJson.Time(finalization.FinishedAt),
            ["PreviousRunId"] = finalization.PreviousRunId ?? string.Empty,
            ["Counts"] = StoreJson.Serialize(finalization.Counts),
            ["ClaimedAt"] = string.Empty,
        };
        await _runs.UpdateEntityAsync(runEntity, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task<bool> TryRecordNotificationAsync(string runId, string channel, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var exists = await _runs.GetEntityIfExistsAsync<TableEntity>(runId, TableKeys.Run, select: ["RowKey"], cancellationToken: cancellationToken);
        if (!exists.HasValue)
        {
            throw new ReportStoreException($"run '{runId}' does not exist");
        }

        try
        {
            await _runs.AddEntityAsync(new TableEntity(runId, TableKeys.Notification(channel)) { ["Channel"] = channel, ["RecordedAt"] = StoreJson.Time(at) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task RecordNotificationResultAsync(string runId, string channel, NotificationStatus status, string? detail, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var result = new TableEntity(runId, TableKeys.Notification(channel))
        {
            ["Status"] = StoreJson.Wire(status),
            ["Detail"] = detail ?? string.Empty,
            ["CompletedAt"] = StoreJson.Time(at),
        };
        try
        {
            // Merge into the recorded notification only: a result without a record is a bug.
            await _runs.UpdateEntityAsync(result, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new ReportStoreException($"run '{runId}' has no '{channel}' notification recorded", ex);
        }
    }

    public async Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var result = new List<Suppression>();
        await foreach (var e in _suppressions.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            result.Add(StoreJson.Deserialize<Suppression>(e.GetString("Json")));
        }

        return result.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public async Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        await _suppressions.UpsertEntityAsync(
            new TableEntity(SuppressionPartition, TableKeys.Escape(suppression.Id)) { ["Json"] = StoreJson.Serialize(suppression) },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        try
        {
            // Deleting a missing entity answers 404 without throwing in this SDK.
            var response = await _suppressions.DeleteEntityAsync(SuppressionPartition, TableKeys.Escape(id), ETag.All, cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public async Task<PruneResult> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        var runs = new List<RunRecord>();
        await foreach (var entity in _runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Run}"), cancellationToken: cancellationToken))
        {
            runs.Add(ToRun(entity));
        }

        var keep = runs.Where(r => r.IsFinalized)
            .GroupBy(r => r.TenantId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal).First().RunId)
            .ToHashSet(StringComparer.Ordinal);
        var doomed = runs.Where(r => r.StartedAt < cutoff && !keep.Contains(r.RunId)).ToList();
        var findings = 0;
        foreach (var run in doomed)
        {
            var findingKeys = new List<TableEntity>();
            await foreach (var e in _findings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {run.RunId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                findingKeys.Add(e);
            }

            await SubmitAsync(_findings, findingKeys, TableTransactionActionType.Delete, cancellationToken);
            findings += findingKeys.Count;
            await foreach (var blob in _blobs.GetBlobsAsync(prefix: BlobPrefix(run.RunId), cancellationToken: cancellationToken))
            {
                await _blobs.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            }

            var runEntities = new List<TableEntity>();
            await foreach (var e in _runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {run.RunId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                runEntities.Add(e);
            }

            await SubmitAsync(_runs, runEntities, TableTransactionActionType.Delete, cancellationToken);
        }

        var remaining = runs.Select(r => r.RunId).Except(doomed.Select(r => r.RunId), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var staleStates = new List<TableEntity>();
        await foreach (var e in _states.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"LastSeenAt lt {StoreJson.Time(cutoff)}"), select: ["PartitionKey", "RowKey", "LastRunId"], cancellationToken: cancellationToken))
        {
            if (!remaining.Contains(e.GetString("LastRunId") ?? string.Empty))
            {
                staleStates.Add(e);
            }
        }

        foreach (var partition in staleStates.GroupBy(s => s.PartitionKey))
        {
            await SubmitAsync(_states, partition.ToList(), TableTransactionActionType.Delete, cancellationToken);
        }

        return new PruneResult(doomed.Count, findings, staleStates.Count);
    }

    private const string SuppressionPartition = "suppression";

    private static string BlobPrefix(string runId) => $"findings/{runId}/";

    private static string AnyOf(string property, IEnumerable<string> values)
    {
        // The property name is not a value: only the value goes through the quoting filter builder.
        var clauses = values.Select(v => property + " eq " + TableClient.CreateQueryFilter($"{v}")).ToList();
        return clauses.Count == 0 ? string.Empty : " and (" + string.Join(" or ", clauses) + ")";
    }

    private async Task<TableEntity> ToEntityAsync(string runId, StoredFinding stored, CancellationToken cancellationToken)
    {
        var f = stored.Finding;
        var json = FindingJson.Serialize(f);
        var entity = new TableEntity(runId, f.FindingId)
        {
            ["ScopeId"] = stored.ScopeId,
            ["RuleId"] = f.RuleId,
            ["PackId"] = f.PackId,
            ["ResourceId"] = f.ResourceId,
            ["Outcome"] = f.Outcome.ToWire(),
            ["Severity"] = f.Severity.ToWire(),
            ["Category"] = f.Category.ToWire(),
            ["HistoryStatus"] = stored.Status is { } status ? StoreJson.Wire(status) : string.Empty,
            ["Carried"] = stored.Carried,
        };
        if (json.Length <= _inlineLimit)
        {
            entity["Json"] = json;
            entity["BlobName"] = string.Empty;
        }
        else
        {
            var name = BlobPrefix(runId) + f.FindingId + ".json";
            await _blobs.GetBlobClient(name).UploadAsync(BinaryData.FromString(json), overwrite: true, cancellationToken);
            entity["Json"] = string.Empty;
            entity["BlobName"] = name;
        }

        return entity;
    }

    private async Task<StoredFinding> FromEntityAsync(TableEntity e, CancellationToken cancellationToken)
    {
        var json = e.GetString("Json");
        if (string.IsNullOrEmpty(json) && e.GetString("BlobName") is { Length: > 0 } blob)
        {
            json = (await _blobs.GetBlobClient(blob).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }

        var finding = FindingJson.Deserialize(json ?? string.Empty) ?? throw new ReportStoreException($"stored finding {e.PartitionKey}/{e.RowKey} is empty");
        return new StoredFinding(finding, e.GetString("ScopeId"), Status(e), e.GetBoolean("Carried") ?? false);
    }

    private static HistoryStatus? Status(TableEntity e) =>
        e.GetString("HistoryStatus") is { Length: > 0 } text ? StoreJson.ParseEnum<HistoryStatus>(text) : null;

    private static DateTimeOffset? Time(TableEntity e, string property) =>
        e.GetString(property) is { Length: > 0 } text ? StoreJson.ParseTime(text) : null;

    private static RunRecord ToRun(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        TenantId = e.GetString("TenantId"),
        StartedAt = Time(e, "StartedAt")!.Value,
        FinishedAt = Time(e, "FinishedAt"),
        Status = StoreJson.ParseEnum<RunStatus>(e.GetString("Status")),
        FinalizationClaimedAt = Time(e, "ClaimedAt"),
        PreviousRunId = e.GetString("PreviousRunId") is { Length: > 0 } previous ? previous : null,
        Trigger = e.GetString("Trigger"),
        Packs = StoreJson.Deserialize<List<PackInfo>>(e.GetString("Packs") ?? "[]"),
        RuleIds = StoreJson.Deserialize<List<string>>(e.GetString("RuleIds") ?? "[]"),
        Counts = e.GetString("Counts") is { Length: > 0 } counts ? StoreJson.Deserialize<RunCounts>(counts) : null,
    };

    private async Task<RunRecord> RequireOpenRunAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        if (run.IsFinalized)
        {
            throw new ReportStoreException($"run '{runId}' is already finalised; its findings and scopes can no longer change");
        }

        return run;
    }

    /// <summary>Entity group transactions of one partition: at most 100 entities and about 4 MB each.</summary>
    private static async Task SubmitAsync(TableClient table, IReadOnlyList<TableEntity> entities, TableTransactionActionType type, CancellationToken cancellationToken)
    {
        foreach (var partition in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<TableTransactionAction>(BatchLimit);
            var bytes = 0;
            foreach (var entity in partition)
            {
                var size = 1024 + (entity.TryGetValue("Json", out var json) && json is string text ? text.Length * 2 : 0);
                if (batch.Count == BatchLimit || (batch.Count > 0 && bytes + size > BatchBytes))
                {
                    await table.SubmitTransactionAsync(batch, cancellationToken);
                    batch = new List<TableTransactionAction>(BatchLimit);
                    bytes = 0;
                }

                batch.Add(new TableTransactionAction(type, entity, ETag.All));
                bytes += size;
            }

            if (batch.Count > 0)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
            }
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                foreach (var table in new[] { _runs, _findings, _states, _suppressions })
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }

                await _blobs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }
}
