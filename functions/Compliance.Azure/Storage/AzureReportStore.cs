using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
/// storage for a finding's detail too large for an entity. A run, its scopes and notifications share
/// a partition; findings are partitioned by run and keyed by finding id (so a retried write replaces
/// instead of adding, and a partition reads back in finding id order); rule metadata is kept once
/// per rule version in its own partition. Writes go in entity group transactions. Claims and the
/// tenant's "latest finished run" are conditional updates on ETags.
/// </summary>
public sealed class AzureReportStore : IReportStore
{
    // Entity group transactions: one partition, at most 100 entities, at most 4 MiB of payload
    // (https://learn.microsoft.com/en-us/rest/api/storageservices/Performing-Entity-Group-Transactions).
    // The byte budget leaves room for the OData envelope around each entity.
    internal const int BatchLimit = 100;
    internal const int BatchBytes = 3 * 1024 * 1024;

    private const string RulePartition = "rules~"; // not a run id: run ids have no '~'
    private const string SuppressionPartition = "suppression";

    private readonly TableClient _runs;
    private readonly TableClient _findings;
    private readonly TableClient _states;
    private readonly TableClient _suppressions;
    private readonly BlobContainerClient _blobs;
    private readonly int _inlineLimit;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly RuleMetaCache _ruleCache = new();
    private readonly ConcurrentDictionary<string, RuleMeta> _rules = new(StringComparer.Ordinal);
    private volatile bool _initialized;

    public AzureReportStore(TableServiceClient tables, BlobServiceClient blobs, IOptions<AzureStorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _runs = tables.GetTableClient(o.TablePrefix + "Runs");
        _findings = tables.GetTableClient(o.TablePrefix + "Findings");
        _states = tables.GetTableClient(o.TablePrefix + "States");
        _suppressions = tables.GetTableClient(o.TablePrefix + "Suppressions");
        _blobs = blobs.GetBlobContainerClient(o.BlobContainer);
        _inlineLimit = o.InlineFindingLimit;
    }

    internal TableClient Runs => _runs;

    internal TableClient Findings => _findings;

    internal TableClient States => _states;

    /// <summary>Deletes the store's tables and container (tests).</summary>
    public async Task DeleteAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in new[] { _runs, _findings, _states, _suppressions })
        {
            await table.DeleteAsync(cancellationToken);
        }

        await _blobs.DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    // ---- runs ------------------------------------------------------------------------------------

    public async Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
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
                ["Status"] = ScopeStatus.Pending.ToWire(),
                ["Ordinal"] = i,
            })
            .ToList();
        var runEntity = new TableEntity(run.RunId, TableKeys.Run)
        {
            ["TenantId"] = run.TenantId,
            ["StartedAt"] = IsoTime.Sortable(run.StartedAt),
            ["Status"] = RunStatus.Running.ToWire(),
            ["Trigger"] = run.Trigger,
            ["Packs"] = StoreJson.Serialize(run.Packs.ToList()),
            ["RuleIds"] = StoreJson.Serialize(run.RuleIds.ToList()),
            ["Provenance"] = StoreJson.Serialize(run.Provenance),
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
                scopes.Add((entity.GetInt32("Ordinal") ?? int.MaxValue, ToScope(entity)));
            }
            else if (entity.RowKey.StartsWith(TableKeys.NotificationPrefix, StringComparison.Ordinal))
            {
                notifications.Add(new RunNotification(
                    entity.GetString("Channel"),
                    Time(entity, "RecordedAt")!.Value,
                    entity.GetString("Status") is { Length: > 0 } status ? EnumNames.Parse<NotificationStatus>(status) : NotificationStatus.Claimed,
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
        ArgumentNullException.ThrowIfNull(query);
        await InitAsync(cancellationToken);
        var filter = query.TenantId is null
            ? TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Run}")
            : TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Run} and TenantId eq {query.TenantId}");
        if (query.StartedBefore is { } before)
        {
            filter += TableClient.CreateQueryFilter($" and StartedAt lt {IsoTime.Sortable(before)}");
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

        var ordered = query.Order == RunOrder.LatestFinished
            ? candidates.OrderBy(r => r.FinishedAt is null).ThenByDescending(r => r.FinishedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
            : candidates.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal);
        var result = new List<RunRecord>();
        foreach (var run in ordered.Take(Math.Max(0, query.Limit)))
        {
            if (await GetRunAsync(run.RunId, cancellationToken) is { } full)
            {
                result.Add(full);
            }
        }

        return result;
    }

    public async Task<bool> TryUpdateRunAsync(string runId, string expectedVersion, RunChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!RunIds.IsValid(runId))
        {
            return false;
        }

        await InitAsync(cancellationToken);
        var entity = new TableEntity(runId, TableKeys.Run);
        if (change.Status is { } status)
        {
            entity["Status"] = status.ToWire();
        }

        if (change.ClaimedAt is { } claimed)
        {
            entity["ClaimedAt"] = IsoTime.Sortable(claimed);
        }
        else if (change.ClearClaim)
        {
            entity["ClaimedAt"] = string.Empty;
        }

        if (change.FinishedAt is { } finished)
        {
            entity["FinishedAt"] = IsoTime.Sortable(finished);
        }

        if (change.AbandonedReason is { } reason)
        {
            entity["AbandonedReason"] = reason;
        }

        if (change.Provenance is { } provenance)
        {
            entity["Provenance"] = StoreJson.Serialize(provenance);
        }

        try
        {
            // Compare-and-set: only the caller that read the current ETag wins.
            await _runs.UpdateEntityAsync(entity, new ETag(expectedVersion), TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    // ---- findings --------------------------------------------------------------------------------

    public async Task SaveFindingsAsync(string runId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(findings);
        await RequireRunningAsync(runId, cancellationToken);
        var entities = new List<TableEntity>(findings.Count);
        foreach (var finding in findings)
        {
            entities.Add(await ToEntityAsync(runId, new StoredFinding(finding, string.Empty), cancellationToken));
        }

        await SubmitAsync(_findings, entities, TableTransactionActionType.UpsertReplace, cancellationToken);
    }

    public async Task<RunRecord> CompleteScopesAsync(string runId, IReadOnlyList<ScopeCompletion> completions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var run = await RequireRunningAsync(runId, cancellationToken);
        var known = run.Scopes.ToDictionary(s => s.Id, StringComparer.OrdinalIgnoreCase);
        var next = run.Scopes.Count;
        var entities = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var c in completions)
        {
            var key = TableKeys.Scope(c.ScopeId);
            var before = entities.TryGetValue(key, out var pending) ? ToScope(pending) : known.GetValueOrDefault(c.ScopeId);

            // The worst status wins: a scope reported ok after an error stays an error (with its reason).
            var wasError = before?.Status == ScopeStatus.Error;
            var error = (wasError, c.Status == ScopeStatus.Error) switch
            {
                (true, true) when before!.Error != c.Error => $"{before.Error}; {c.Error}",
                (true, _) => before!.Error,
                _ => c.Error,
            };
            var entity = new TableEntity(runId, key)
            {
                ["ScopeId"] = before?.Id ?? c.ScopeId,
                ["DisplayName"] = before?.DisplayName ?? c.DisplayName,
                ["Status"] = (wasError ? ScopeStatus.Error : c.Status).ToWire(),
                ["Error"] = error ?? string.Empty,
                ["CompletedAt"] = IsoTime.Sortable(c.CompletedAt),
                ["CollectedAt"] = c.CollectedAt is { } collected ? IsoTime.Sortable(collected) : before?.CollectedAt is { } old ? IsoTime.Sortable(old) : string.Empty,
                ["Resources"] = c.Resources ?? before?.Resources,
                ["Sha256"] = c.SnapshotSha256 ?? before?.SnapshotSha256 ?? string.Empty,
                ["Ordinal"] = pending?.GetInt32("Ordinal") ?? (known.ContainsKey(c.ScopeId) ? OrdinalOf(run, c.ScopeId) : 1_000_000 + next++),
            };
            entities[key] = entity;
        }

        await SubmitAsync(_runs, entities.Values.ToList(), TableTransactionActionType.UpsertReplace, cancellationToken);
        return (await GetRunAsync(runId, cancellationToken))!;
    }

    public async IAsyncEnumerable<StoredFinding> ReadFindingsAsync(FindingQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitAsync(cancellationToken);
        var tenant = await TenantOfAsync(query.RunId, cancellationToken);
        if (tenant is null)
        {
            yield break;
        }

        var filter = Filter(query);
        if (query.ContinuationToken is { } after)
        {
            filter += TableClient.CreateQueryFilter($" and RowKey gt {after}");
        }

        await foreach (var e in _findings.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            yield return await FromEntityAsync(e, tenant, cancellationToken);
        }
    }

    public async Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitAsync(cancellationToken);
        var tenant = await TenantOfAsync(query.RunId, cancellationToken);
        if (tenant is null)
        {
            return new FindingPage([], null);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        await foreach (var page in _findings.QueryAsync<TableEntity>(Filter(query), pageSize, cancellationToken: cancellationToken).AsPages(query.ContinuationToken, pageSize))
        {
            var findings = new List<StoredFinding>(page.Values.Count);
            foreach (var e in page.Values)
            {
                findings.Add(await FromEntityAsync(e, tenant, cancellationToken));
            }

            return new FindingPage(findings, page.ContinuationToken);
        }

        return new FindingPage([], null);
    }

    public async Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
        await InitAsync(cancellationToken);
        var tenant = await TenantOfAsync(runId, cancellationToken);
        if (tenant is null)
        {
            return [];
        }

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
            result.Add(await FromEntityAsync(e, tenant, cancellationToken));
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(findingIds);
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
                    result[e.RowKey] = ToState(e, tenantId);
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
                    result[id] = ToState(response.Value!, tenantId);
                }
            }
        }

        return result;
    }

    public async Task<IFinalizationSession> BeginFinalizationAsync(string runId, CancellationToken cancellationToken = default)
    {
        await InitAsync(cancellationToken);
        return await AzureFinalizationSession.BeginAsync(this, runId, cancellationToken);
    }

    // ---- notifications and suppressions ------------------------------------------------------------

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
            await _runs.AddEntityAsync(new TableEntity(runId, TableKeys.Notification(channel)) { ["Channel"] = channel, ["RecordedAt"] = IsoTime.Sortable(at) }, cancellationToken);
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
            ["Status"] = status.ToWire(),
            ["Detail"] = detail ?? string.Empty,
            ["CompletedAt"] = IsoTime.Sortable(at),
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
        ArgumentNullException.ThrowIfNull(suppression);
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

    public async Task<PruneResult> DeleteRunsAsync(IReadOnlyCollection<string> runIds, DateTimeOffset statesSeenBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        await InitAsync(cancellationToken);
        int runs = 0;
        long findings = 0;
        foreach (var runId in runIds.Where(RunIds.IsValid))
        {
            var findingKeys = new List<TableEntity>();
            await foreach (var e in _findings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                findingKeys.Add(e);
            }

            await SubmitAsync(_findings, findingKeys, TableTransactionActionType.Delete, cancellationToken);
            findings += findingKeys.Count;
            await foreach (var blob in _blobs.GetBlobsAsync(prefix: BlobPrefix(runId), cancellationToken: cancellationToken))
            {
                await _blobs.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            }

            var runEntities = new List<TableEntity>();
            await foreach (var e in _runs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                runEntities.Add(e);
            }

            await SubmitAsync(_runs, runEntities, TableTransactionActionType.Delete, cancellationToken);
            runs += runEntities.Any(e => e.RowKey == TableKeys.Run) ? 1 : 0;
        }

        var stale = new List<TableEntity>();
        await foreach (var e in _states.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"LastSeenAt lt {IsoTime.Sortable(statesSeenBefore)}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            stale.Add(e);
        }

        await SubmitAsync(_states, stale, TableTransactionActionType.Delete, cancellationToken);
        return new PruneResult(runs, findings, stale.Count);
    }

    // ---- entities ------------------------------------------------------------------------------------

    internal static string BlobPrefix(string runId) => $"findings/{runId}/";

    /// <summary>The entity of a finding: ids, outcome, status, its rule's metadata key, its resource, and its detail only when it says something.</summary>
    internal async Task<TableEntity> ToEntityAsync(string runId, StoredFinding stored, CancellationToken cancellationToken)
    {
        var f = stored.Finding;
        var compact = FindingCodec.IsCompactPass(f);
        var (meta, digest) = _ruleCache.Of(f, compact);
        await RememberRuleAsync(meta, digest, cancellationToken);
        var r = ResourceMeta.Of(f);
        var entity = new TableEntity(runId, f.FindingId)
        {
            ["Rule"] = digest,
            ["Outcome"] = (int)f.Outcome,
            ["HistoryStatus"] = stored.Status is { } status ? status.ToWire() : string.Empty,
            ["Carried"] = stored.Carried,
            ["ResourceId"] = r.ResourceId,
            ["ResourceName"] = r.Name,
            ["ResourceType"] = r.ResourceType,
            ["Location"] = r.Location,
            ["SubscriptionId"] = r.SubscriptionId,
            ["Tags"] = r.Tags is null ? null : StoreJson.Serialize(r.Tags.ToDictionary(t => t.Key, t => t.Value)),
            ["Severity"] = (int)meta.Severity,
            ["Category"] = (int)meta.Category,
        };
        var detail = FindingCodec.DetailJson(f, meta);
        if (detail is null || detail.Length <= _inlineLimit)
        {
            entity["Detail"] = detail;
        }
        else
        {
            var name = BlobPrefix(runId) + f.FindingId + ".json";
            await _blobs.GetBlobClient(name).UploadAsync(BinaryData.FromString(detail), overwrite: true, cancellationToken);
            entity["DetailBlob"] = name;
        }

        return entity;
    }

    internal async Task<StoredFinding> FromEntityAsync(TableEntity e, string tenantId, CancellationToken cancellationToken)
    {
        var detail = e.GetString("Detail");
        if (string.IsNullOrEmpty(detail) && e.GetString("DetailBlob") is { Length: > 0 } blob)
        {
            detail = (await _blobs.GetBlobClient(blob).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }

        var rule = await RuleAsync(e.GetString("Rule"), cancellationToken);
        var finding = FindingCodec.Rebuild(e.RowKey, rule, ResourceOf(e), (Outcome)(e.GetInt32("Outcome") ?? 0), detail);
        return new StoredFinding(finding, FindingScopes.ScopeOf(finding, tenantId), Status(e), e.GetBoolean("Carried") ?? false);
    }

    /// <summary>The light form of a finding entity; a partition is read in RowKey order, so the finding id is the order key.</summary>
    internal async Task<FindingKey> KeyAsync(TableEntity e, string tenantId, CancellationToken cancellationToken) =>
        FindingCodec.Key(e.RowKey, await RuleAsync(e.GetString("Rule"), cancellationToken), ResourceOf(e), (Outcome)(e.GetInt32("Outcome") ?? 0), Status(e), e.GetBoolean("Carried") ?? false, tenantId, e.RowKey);

    internal static readonly string[] KeyColumns = ["RowKey", "Rule", "Outcome", "HistoryStatus", "Carried", "ResourceId", "ResourceType", "SubscriptionId"];

    private static ResourceMeta ResourceOf(TableEntity e) => new(
        e.GetString("ResourceId"),
        e.GetString("ResourceName") is { Length: > 0 } name ? name : null,
        e.GetString("ResourceType") ?? string.Empty,
        e.GetString("Location") is { Length: > 0 } location ? location : null,
        e.TryGetValue("SubscriptionId", out var subscription) ? subscription as string : null,
        e.GetString("Tags") is { Length: > 0 } tags ? StoreJson.Deserialize<Dictionary<string, string>>(tags) : null);

    internal static HistoryStatus? Status(TableEntity e) =>
        e.GetString("HistoryStatus") is { Length: > 0 } text ? EnumNames.Parse<HistoryStatus>(text) : null;

    internal static FindingState ToState(TableEntity e, string tenantId) => new()
    {
        TenantId = tenantId,
        FindingId = e.RowKey,
        OrderKey = e.RowKey,
        LastSeenAt = Time(e, "LastSeenAt")!.Value,
        LastRunId = e.GetString("LastRunId"),
        LastOutcome = (Outcome)(e.GetInt32("LastOutcome") ?? 0),
        LastStatus = e.GetString("LastStatus") is { Length: > 0 } status ? EnumNames.Parse<HistoryStatus>(status) : null,
    };

    internal static TableEntity FromState(FindingState s) => new(TableKeys.Escape(s.TenantId), s.FindingId)
    {
        ["LastSeenAt"] = IsoTime.Sortable(s.LastSeenAt),
        ["LastRunId"] = s.LastRunId,
        ["LastOutcome"] = (int)s.LastOutcome,
        ["LastStatus"] = s.LastStatus is { } status ? status.ToWire() : string.Empty,
    };

    internal static DateTimeOffset? Time(TableEntity e, string property) =>
        e.GetString(property) is { Length: > 0 } text ? IsoTime.ParseSortable(text) : null;

    private static RunScope ToScope(TableEntity entity) => new(
        entity.GetString("ScopeId"),
        entity.GetString("DisplayName") is { Length: > 0 } name ? name : null,
        EnumNames.Parse<ScopeStatus>(entity.GetString("Status")),
        entity.GetString("Error") is { Length: > 0 } error ? error : null,
        Time(entity, "CompletedAt"),
        Time(entity, "CollectedAt"),
        entity.GetInt64("Resources"),
        entity.GetString("Sha256") is { Length: > 0 } sha ? sha : null);

    private static int OrdinalOf(RunRecord run, string scopeId)
    {
        for (var i = 0; i < run.Scopes.Count; i++)
        {
            if (string.Equals(run.Scopes[i].Id, scopeId, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    internal static RunRecord ToRun(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        TenantId = e.GetString("TenantId"),
        StartedAt = Time(e, "StartedAt")!.Value,
        FinishedAt = Time(e, "FinishedAt"),
        Status = EnumNames.Parse<RunStatus>(e.GetString("Status")),
        FinalizationClaimedAt = Time(e, "ClaimedAt"),
        PreviousRunId = e.GetString("PreviousRunId") is { Length: > 0 } previous ? previous : null,
        Trigger = e.GetString("Trigger"),
        Packs = StoreJson.Deserialize<List<PackInfo>>(e.GetString("Packs") ?? "[]"),
        RuleIds = StoreJson.Deserialize<List<string>>(e.GetString("RuleIds") ?? "[]"),
        Counts = e.GetString("Counts") is { Length: > 0 } counts ? StoreJson.Deserialize<RunCounts>(counts) : null,
        Provenance = e.GetString("Provenance") is { Length: > 0 } provenance ? StoreJson.Deserialize<RunProvenance>(provenance) : new RunProvenance(),
        SuspectReason = e.GetString("SuspectReason") is { Length: > 0 } suspect ? suspect : null,
        ChangesAccepted = e.GetBoolean("ChangesAccepted") ?? false,
        AbandonedReason = e.GetString("AbandonedReason") is { Length: > 0 } abandoned ? abandoned : null,
        Version = e.ETag.ToString(),
    };

    private static string Filter(FindingQuery query)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {query.RunId}");
        filter += AnyOf("HistoryStatus", query.Statuses.Select(s => TableClient.CreateQueryFilter($"{s.ToWire()}")));
        filter += AnyOf("Severity", query.Severities.Select(s => TableClient.CreateQueryFilter($"{(int)s}")));
        filter += AnyOf("Outcome", query.Outcomes.Select(o => TableClient.CreateQueryFilter($"{(int)o}")));
        filter += AnyOf("Category", query.Categories.Select(c => TableClient.CreateQueryFilter($"{(int)c}")));
        if (!query.IncludeCarried)
        {
            filter += " and Carried eq false";
        }

        return filter;
    }

    private static string AnyOf(string property, IEnumerable<string> quotedValues)
    {
        // The property name is not a value: only the values go through the quoting filter builder.
        var clauses = quotedValues.Select(v => property + " eq " + v).ToList();
        return clauses.Count == 0 ? string.Empty : " and (" + string.Join(" or ", clauses) + ")";
    }

    private async Task<string?> TenantOfAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(runId))
        {
            return null;
        }

        var response = await _runs.GetEntityIfExistsAsync<TableEntity>(runId, TableKeys.Run, select: ["TenantId"], cancellationToken: cancellationToken);
        return response.HasValue ? response.Value!.GetString("TenantId") : null;
    }

    internal async Task<RuleMeta> RuleAsync(string digest, CancellationToken cancellationToken)
    {
        if (_rules.TryGetValue(digest, out var meta))
        {
            return meta;
        }

        var response = await _runs.GetEntityIfExistsAsync<TableEntity>(RulePartition, digest, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            throw new ReportStoreException($"a stored finding names rule metadata {digest}, which the store does not hold");
        }

        meta = StoreJson.Deserialize<RuleMeta>(response.Value!.GetString("Json"));
        _rules[digest] = meta;
        return meta;
    }

    private async Task RememberRuleAsync(RuleMeta meta, string digest, CancellationToken cancellationToken)
    {
        if (_rules.ContainsKey(digest))
        {
            return;
        }

        // Rule metadata never changes under its digest: writing it again is harmless.
        await _runs.UpsertEntityAsync(new TableEntity(RulePartition, digest) { ["Json"] = StoreJson.Serialize(meta) }, TableUpdateMode.Replace, cancellationToken);
        _rules[digest] = meta;
    }

    private async Task<RunRecord> RequireRunningAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        return run.Status == RunStatus.Running
            ? run
            : throw new ReportStoreException($"run '{runId}' is {run.Status.ToWire()}; its findings and scopes can no longer change");
    }

    /// <summary>Entity group transactions, one partition at a time, within the service's limits.</summary>
    internal static async Task SubmitAsync(TableClient table, IReadOnlyList<TableEntity> entities, TableTransactionActionType type, CancellationToken cancellationToken)
    {
        foreach (var partition in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<TableTransactionAction>(BatchLimit);
            var bytes = 0;
            foreach (var entity in partition)
            {
                var size = 1024 + ((IDictionary<string, object>)entity).Values.Sum(v => v is string text ? text.Length * 2 : 16);
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
