using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Compliance.Reporting.Evidence;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Storage;

/// <summary>
/// A run's evidence folder (findings.csv, controls.csv, controls-summary.csv, manifest.json) in Blob storage, under
/// "{runId}/" in the evidence container. The manifest is uploaded last: a run whose manifest exists
/// has all its evidence.
/// </summary>
public sealed class EvidenceBlobStore(BlobServiceClient blobs, IOptions<AzureStorageOptions> options)
{
    /// <summary>The files of an evidence folder, in upload order.</summary>
    public static IReadOnlyList<string> Files { get; } = [EvidenceExporter.FindingsFile, EvidenceExporter.ControlsFile, EvidenceExporter.ControlsSummaryFile, EvidenceManifest.FileName];

    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.EvidenceContainer);

    /// <summary>Uploads the evidence folder written by <see cref="EvidenceExporter"/>, replacing what was there.</summary>
    public async Task UploadAsync(string runId, string directory, CancellationToken cancellationToken)
    {
        await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var file in Files)
        {
            var blob = Container.GetBlobClient(BlobName(runId, file));
            await using var stream = File.OpenRead(Path.Combine(directory, file));
            await blob.UploadAsync(stream, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType(file) } }, cancellationToken);
        }
    }

    /// <summary>Whether the run's evidence is complete (its manifest was uploaded).</summary>
    public async Task<bool> ExistsAsync(string runId, CancellationToken cancellationToken)
    {
        try
        {
            return await Container.GetBlobClient(BlobName(runId, EvidenceManifest.FileName)).ExistsAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>A file of the run's evidence as a stream, or null when it is not there.</summary>
    public async Task<Stream?> OpenReadAsync(string runId, string file, CancellationToken cancellationToken)
    {
        try
        {
            var response = await Container.GetBlobClient(BlobName(runId, file)).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the evidence of a run (after the store pruned the run).</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        foreach (var file in Files)
        {
            try
            {
                await Container.DeleteBlobIfExistsAsync(BlobName(runId, file), cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The container itself is gone: nothing to delete.
            }
        }
    }

    public static string ContentType(string file) => file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv; charset=utf-8";

    private static string BlobName(string runId, string file) => $"{runId}/{file}";
}
