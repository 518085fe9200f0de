using System.Security.Cryptography;
using System.Text;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Evidence;

/// <summary>
/// Writes a run's evidence folder: findings.csv, controls.csv and manifest.json (signed when a key
/// is given). Findings are read page by page, so memory holds one page and the control matrix.
/// </summary>
public sealed class EvidenceExporter(IReportStore store, TimeProvider timeProvider)
{
    public const string FindingsFile = "findings.csv";
    public const string ControlsFile = "controls.csv";

    private static readonly string[] OwnFiles = [FindingsFile, ControlsFile, EvidenceManifest.FileName];

    public async Task<EvidenceManifest> ExportAsync(EvidenceRequest request, CancellationToken cancellationToken = default)
    {
        var run = request.Run;
        var directory = request.Directory;
        Directory.CreateDirectory(directory);
        var strangers = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Where(n => !OwnFiles.Contains(n)).ToList();
        if (strangers.Count > 0)
        {
            throw new EvidenceException($"{directory} holds other files ({string.Join(", ", strangers.Take(3))}{(strangers.Count > 3 ? ", …" : string.Empty)}): export evidence to an empty folder, so that it verifies");
        }

        var matrix = new ControlMatrix(request.Frameworks);
        var findingsPath = Path.Combine(directory, FindingsFile);
        await using (var writer = new StreamWriter(findingsPath, false, new UTF8Encoding(false)))
        using (var csv = FindingsCsvWriter.Open(writer))
        {
            string? token = null;
            do
            {
                var page = await store.ListFindingsAsync(new FindingQuery { RunId = run.RunId, PageSize = 1000, ContinuationToken = token }, cancellationToken);
                foreach (var stored in page.Findings)
                {
                    FindingsCsvWriter.WriteRow(csv, new FindingRow(run.RunId, run.StartedAt, run.TenantId, stored.Finding, stored.Status.ToWire()));
                    matrix.Add(stored);
                }

                token = page.ContinuationToken;
            }
            while (token is not null);
            await csv.FlushAsync();
        }

        var controlsPath = Path.Combine(directory, ControlsFile);
        await using (var writer = new StreamWriter(controlsPath, false, new UTF8Encoding(false)))
        {
            ControlsCsvWriter.Write(writer, run.RunId, run.StartedAt, run.TenantId, matrix.Rows());
        }

        var manifest = new EvidenceManifest
        {
            Tool = "compliance",
            ToolVersion = request.ToolVersion,
            RunId = run.RunId,
            TenantId = run.TenantId,
            RunStartedAt = CsvCells.Time(run.StartedAt),
            RunFinishedAt = run.FinishedAt is { } finished ? CsvCells.Time(finished) : null,
            RunStatus = run.Status.ToString().ToLowerInvariant(),
            GeneratedAt = CsvCells.Time(timeProvider.GetUtcNow()),
            Frameworks = request.Frameworks.Order(StringComparer.Ordinal).ToList(),
            Packs = run.Packs.Select(p => new ManifestPack(p.Id, p.Version, p.ContentHash)).ToList(),
            Files = [await DescribeAsync(findingsPath, cancellationToken), await DescribeAsync(controlsPath, cancellationToken)],
        };
        if (request.SigningKey is { } key)
        {
            var signature = key.Sign(ManifestJson.SignedBytes(manifest));
            manifest = manifest with { Signature = new ManifestSignature(ManifestSignature.HmacSha256, key.KeyId, Convert.ToBase64String(signature)) };
        }

        await File.WriteAllBytesAsync(Path.Combine(directory, EvidenceManifest.FileName), ManifestJson.ToBytes(manifest), cancellationToken);
        return manifest;
    }

    internal static async Task<ManifestFile> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new ManifestFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }
}
