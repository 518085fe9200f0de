using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Findings;
using Compliance.Reporting.Controls;
using Compliance.Reporting.Csv;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Evidence;

/// <summary>
/// Writes a run's evidence folder: findings.csv, controls.csv (with control titles),
/// controls-summary.csv (per framework) and manifest.json (signed when a key is given), the manifest
/// naming the run's provenance: when the tenant was read, the snapshot and its SHA-256, every scope
/// with its status, the parameter overrides, the tool version. Findings are read as a stream, so
/// memory holds the control matrix, not the findings.
/// </summary>
public sealed class EvidenceExporter(IReportStore store, TimeProvider timeProvider)
{
    public const string FindingsFile = "findings.csv";
    public const string ControlsFile = "controls.csv";
    public const string ControlsSummaryFile = "controls-summary.csv";

    private static readonly string[] OwnFiles = [FindingsFile, ControlsFile, ControlsSummaryFile, EvidenceManifest.FileName];

    public async Task<EvidenceManifest> ExportAsync(EvidenceRequest request, CancellationToken cancellationToken = default)
    {
        var run = request.Run;
        var directory = request.Directory;
        await CheckFrameworksAsync(run, request.Frameworks, cancellationToken);
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
            await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
            {
                FindingsCsvWriter.WriteRow(csv, new FindingRow(run.RunId, run.StartedAt, run.TenantId, stored.Finding, stored.Status.ToWire()));
                matrix.Add(stored);
            }

            await csv.FlushAsync();
        }

        var controlsPath = Path.Combine(directory, ControlsFile);
        await using (var writer = new StreamWriter(controlsPath, false, new UTF8Encoding(false)))
        {
            ControlsCsvWriter.Write(writer, run.RunId, run.StartedAt, run.Provenance.CollectedAt, run.TenantId, matrix.Rows());
        }

        var summaryPath = Path.Combine(directory, ControlsSummaryFile);
        await using (var writer = new StreamWriter(summaryPath, false, new UTF8Encoding(false)))
        {
            ControlsSummaryCsvWriter.Write(writer, run.RunId, run.StartedAt, run.Provenance.CollectedAt, run.TenantId, ControlSummary.Of(matrix.Rows(), ControlCatalog.BuiltIn, request.Frameworks));
        }

        var manifest = new EvidenceManifest
        {
            Tool = "compliance",
            ToolVersion = request.ToolVersion,
            RunId = run.RunId,
            TenantId = run.TenantId,
            RunStartedAt = CsvCells.Time(run.StartedAt),
            RunFinishedAt = run.FinishedAt is { } finished ? CsvCells.Time(finished) : null,
            RunStatus = run.Status.ToWire(),
            SuspectReason = run.SuspectReason,
            ChangesAccepted = run.ChangesAccepted ? true : null,
            PreviousRunId = run.PreviousRunId,
            CollectedAt = run.Provenance.CollectedAt is { } collected ? CsvCells.Time(collected) : null,
            Snapshot = run.Provenance.SnapshotFile is null && run.Provenance.SnapshotSha256 is null ? null
                : new ManifestSnapshot { File = run.Provenance.SnapshotFile, Sha256 = run.Provenance.SnapshotSha256, Complete = run.Provenance.SnapshotComplete },
            Scopes = run.Scopes.Select(s => new ManifestScope
            {
                Id = s.Id,
                DisplayName = s.DisplayName,
                Status = s.Status.ToWire(),
                Error = s.Error,
                CollectedAt = s.CollectedAt is { } at ? CsvCells.Time(at) : null,
                Sha256 = s.SnapshotSha256,
            }).ToList(),
            Parameters = run.Provenance.Parameters.Count == 0 ? null : run.Provenance.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            BroadSuppressions = run.Provenance.BroadSuppressions.Count == 0 ? null : run.Provenance.BroadSuppressions,
            GeneratedAt = CsvCells.Time(timeProvider.GetUtcNow()),
            Frameworks = request.Frameworks.Order(StringComparer.Ordinal).ToList(),
            Packs = run.Packs.Select(p => new ManifestPack(p.Id, p.Version, p.ContentHash)).ToList(),
            Files = [await DescribeAsync(findingsPath, cancellationToken), await DescribeAsync(controlsPath, cancellationToken), await DescribeAsync(summaryPath, cancellationToken)],
        };
        if (request.SigningKey is { } key)
        {
            var signature = key.Sign(ManifestJson.SignedBytes(manifest));
            manifest = manifest with { Signature = new ManifestSignature(ManifestSignature.HmacSha256, key.KeyId, Convert.ToBase64String(signature)) };
        }

        await File.WriteAllBytesAsync(Path.Combine(directory, EvidenceManifest.FileName), ManifestJson.ToBytes(manifest), cancellationToken);
        return manifest;
    }

    /// <summary>
    /// A framework asked for (<c>--framework</c>, <c>Evidence:Frameworks</c>) must be one the tool has a
    /// catalog of or one the run's findings map to; otherwise nothing is written and the message names
    /// the known ones (a typo would give an empty controls.csv that looks like "nothing to report").
    /// </summary>
    private async Task CheckFrameworksAsync(RunRecord run, IReadOnlyList<string> frameworks, CancellationToken cancellationToken)
    {
        var catalog = ControlCatalog.BuiltIn;
        var unknown = frameworks.Where(f => catalog.Find(f) is null).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var inRun = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }, cancellationToken))
        {
            inRun.UnionWith(stored.Finding.Controls.Keys);
        }

        unknown = unknown.Where(f => !inRun.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            var known = catalog.Frameworks.Select(f => f.Id).Union(inRun, StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
            throw new EvidenceException($"unknown framework {string.Join(", ", unknown.Select(f => $"'{f}'"))}: the known frameworks are {string.Join(", ", known)} (names as rules write them under \"controls\"; case does not matter)");
        }
    }

    internal static async Task<ManifestFile> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return new ManifestFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }
}
