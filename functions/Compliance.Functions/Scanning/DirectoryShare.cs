using Azure;
using Azure.Storage.Blobs;
using Compliance.Azure.Collectors.Graph;
using Compliance.Azure.Storage;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// One directory read per run: the directory scope's scan shares the directory objects the
/// subscription scans need (the Graph types their rules count — the guests among the users, for
/// AZ-ACC-005) as a JSON Lines snapshot in a blob of the report store's container,
/// <c>directory/{runId}.jsonl</c>, with the directory scope's status; the subscription scans copy them
/// from there instead of calling Microsoft Graph. A directory that could not be read is shared as such
/// (its scope in error, the reason), so a waiting subscription scan stops waiting and calls nothing
/// compliant that depends on it. A subscription scan waits for the share at most
/// <see cref="ScanSettings.DirectoryWait"/>, looking every <see cref="ScanSettings.DirectoryPollInterval"/>,
/// then goes on with the directory marked unread. The blob is deleted when the run is finalised.
/// </summary>
public sealed class DirectoryShare(BlobServiceClient blobs, IOptions<AzureStorageOptions> storage, IOptions<ScanSettings> settings, TimeProvider time, ILogger<DirectoryShare> logger)
{
    private const string Prefix = "directory/";
    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile bool _created;

    private BlobContainerClient Container => blobs.GetBlobContainerClient(storage.Value.BlobContainer);

    /// <summary>Shares, from the directory scan's snapshot (a document), the objects of <paramref name="types"/> and the directory scope.</summary>
    public async Task PublishAsync(string runId, string snapshotPath, IReadOnlySet<string> types, CancellationToken cancellationToken)
    {
        var shared = Path.Combine(Path.GetTempPath(), $"compliance-directory-{runId}-{Guid.NewGuid():N}.jsonl");
        try
        {
            long count;
            SnapshotScope? scope;
            using (var reader = SnapshotReader.OpenFile(snapshotPath, SnapshotFormat.Document))
            {
                await using var output = new FileStream(shared, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
                await using var writer = await SnapshotWriter.StartAsync(output, SnapshotFormat.Lines, time.GetUtcNow(), null, cancellationToken);
                await foreach (var resource in reader.ReadResourcesAsync(cancellationToken))
                {
                    using (resource)
                    {
                        if (types.Contains(resource.Type))
                        {
                            await writer.WriteAsync(resource.Json, null, SnapshotWriter.TypeMode.Keep, cancellationToken);
                        }
                    }
                }

                scope = reader.Header.Scopes.FirstOrDefault(s => s.IsTenant);
                await writer.CompleteAsync(reader.Header.TenantId, scope is null ? [] : [scope], cancellationToken);
                count = writer.ResourceCount;
            }

            await UploadAsync(runId, shared, cancellationToken);
            logger.LogInformation("Run {RunId}: the directory read is shared with the subscription scans ({Count} object(s), directory {Status})", runId, count, scope?.Status ?? "not listed");
        }
        finally
        {
            File.Delete(shared);
        }
    }

    /// <summary>Shares that the directory could not be read, and why: the subscription scans stop waiting and treat it as unread.</summary>
    public async Task PublishNotReadAsync(string runId, string tenantId, string error, CancellationToken cancellationToken)
    {
        var shared = Path.Combine(Path.GetTempPath(), $"compliance-directory-{runId}-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var output = new FileStream(shared, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await using var writer = await SnapshotWriter.StartAsync(output, SnapshotFormat.Lines, time.GetUtcNow(), tenantId, cancellationToken);
                await writer.CompleteAsync(tenantId, [new SnapshotScope(ResourceIds.EntraScopeId(tenantId), SnapshotScope.Failed, error)], cancellationToken);
            }

            await UploadAsync(runId, shared, cancellationToken);
            logger.LogWarning("Run {RunId}: the directory could not be read; the subscription scans are told so", runId);
        }
        finally
        {
            File.Delete(shared);
        }
    }

    /// <summary>
    /// The run's shared directory, as soon as the directory scan has shared it, or — after
    /// <see cref="ScanSettings.DirectoryWait"/>, or at once when the run's directory scope has reported
    /// without sharing — the reason it is not available.
    /// </summary>
    public async Task<SharedDirectory> WaitAsync(string runId, IReportStore store, CancellationToken cancellationToken)
    {
        var wait = settings.Value.DirectoryWait;
        var interval = settings.Value.DirectoryPollInterval;
        var waited = TimeSpan.Zero;
        for (var look = 1; ; look++)
        {
            try
            {
                var download = await Blob(runId).DownloadStreamingAsync(cancellationToken: cancellationToken);
                if (look > 1)
                {
                    logger.LogInformation("Run {RunId}: the shared directory arrived after {Waited}", runId, waited);
                }

                return SharedDirectory.Read(download.Value.Content);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Not shared yet (or the container does not exist yet).
            }

            var run = await store.GetRunAsync(runId, cancellationToken);
            if (run?.Scopes.FirstOrDefault(s => ResourceIds.IsTenantScope(s.Id)) is { Status: not ScopeStatus.Pending } directory)
            {
                return SharedDirectory.NotRead($"the run's directory scan reported ({directory.Status.ToString().ToLowerInvariant()}) without sharing the directory; it is not read for this scope");
            }

            if (waited + interval > wait)
            {
                logger.LogWarning("Run {RunId}: the directory was not shared within Scan:DirectoryWait ({Wait}); this scope goes on without it", runId, wait);
                return SharedDirectory.NotRead($"the run's directory read was not shared within Scan:DirectoryWait ({wait}): the directory is not read for this scope");
            }

            await Task.Delay(interval, time, cancellationToken);
            waited += interval;
        }
    }

    /// <summary>Deletes the run's share (its scans are over).</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            await Blob(runId).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            logger.LogWarning("The shared directory of run {RunId} could not be deleted ({Status} {Code}): the sweep deletes it later", runId, ex.Status, ex.ErrorCode);
        }
    }

    /// <summary>Deletes the shares of runs that are finalised or gone (their finaliser did not, or a sweep finalised them).</summary>
    public async Task SweepAsync(IReportStore store, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var blob in Container.GetBlobsAsync(prefix: Prefix, cancellationToken: cancellationToken))
            {
                var runId = Path.GetFileNameWithoutExtension(blob.Name[Prefix.Length..]);
                if (await store.GetRunAsync(runId, cancellationToken) is not { Status: RunStatus.Running })
                {
                    await DeleteAsync(runId, cancellationToken);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet: nothing shared.
        }
    }

    private BlobClient Blob(string runId) => Container.GetBlobClient($"{Prefix}{runId}.jsonl");

    private async Task UploadAsync(string runId, string path, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _create.WaitAsync(cancellationToken);
            try
            {
                if (!_created)
                {
                    await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    _created = true;
                }
            }
            finally
            {
                _create.Release();
            }
        }

        // One upload, visible whole or not at all: a reader never sees half a share.
        await Blob(runId).UploadAsync(path, overwrite: true, cancellationToken);
    }
}
