using System.Reflection;
using Compliance.Azure.Secrets;
using Compliance.Azure.Storage;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Runs;

/// <summary>
/// A finalised run's evidence as a run output: the folder the CLI exports (findings.csv,
/// controls.csv, manifest.json signed with the key from Key Vault), kept in Blob storage.
/// </summary>
public sealed class EvidencePublisher(EvidenceExporter exporter, EvidenceBlobStore blobs, ISecretSource secrets, IOptions<EvidenceSettings> options, ILogger<EvidencePublisher> logger) : IRunOutput
{
    public static string ToolVersion { get; } =
        typeof(EvidencePublisher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public string Name => "evidence";

    public Task<bool> IsWrittenAsync(RunRecord run, CancellationToken cancellationToken) => blobs.ExistsAsync(run.RunId, cancellationToken);

    public async Task WriteAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var manifest = await PublishAsync(run, cancellationToken);
        logger.LogInformation("Evidence of run {RunId} written ({Signed})", run.RunId, manifest.Signature is null ? "unsigned" : "signed with key " + manifest.Signature.KeyId);
    }

    public Task DeleteAsync(string runId, CancellationToken cancellationToken) => blobs.DeleteAsync(runId, cancellationToken);

    /// <summary>
    /// Exports and uploads the run's evidence, replacing what was there. Throws
    /// <see cref="SecretUnavailableException"/> (naming the vault and the secret) when signing is
    /// configured and the key cannot be read: evidence is never silently left unsigned.
    /// </summary>
    public async Task<EvidenceManifest> PublishAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var key = await SigningKeyAsync(cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), $"compliance-evidence-{run.RunId}-{Guid.NewGuid():N}");
        try
        {
            var manifest = await exporter.ExportAsync(
                new EvidenceRequest { Run = run, Directory = directory, ToolVersion = ToolVersion, Frameworks = options.Value.Frameworks, SigningKey = key },
                cancellationToken);
            await blobs.UploadAsync(run.RunId, directory, cancellationToken);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>The signing key, or null when signing is not configured.</summary>
    public async Task<SigningKey?> SigningKeyAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.SigningKeySecret;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var text = await secrets.GetSecretAsync(name, cancellationToken);
        try
        {
            return SigningKey.FromText(text);
        }
        catch (EvidenceException ex)
        {
            // The message says the key is too short; it never contains the key.
            throw new SecretUnavailableException($"secret '{name}' in {secrets.Description} is not a usable signing key: {ex.Message}", ex);
        }
    }
}
