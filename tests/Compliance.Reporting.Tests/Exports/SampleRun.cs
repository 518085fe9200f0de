using System.Runtime.CompilerServices;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Exports;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Reporting.Tests.Exports;

/// <summary>
/// The bundled sample tenant scanned with the built-in packs as a tenant's first finalised run (every
/// problem new), with one failing finding accepted as an exception, held by a store that only reads:
/// fixed ids and times, so that exports of it can be compared with approved files.
/// </summary>
internal sealed class SampleRun : IReportStore
{
    public const string RunId = "20261127T020000Z-5a3p1e00";
    public const string ToolVersion = "1.0.0-test";

    private SampleRun(RunRecord run, IReadOnlyList<StoredFinding> findings, IReadOnlyDictionary<string, RuleDoc> docs)
    {
        Run = run;
        Findings = findings;
        Docs = docs;
    }

    public RunRecord Run { get; }

    public IReadOnlyList<StoredFinding> Findings { get; }

    public IReadOnlyDictionary<string, RuleDoc> Docs { get; }

    public static async Task<SampleRun> ScanAsync()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();
        var rules = CompiledRuleSet.Compile(packs);
        using var reader = SnapshotReader.OpenFile(RepoPaths.File("samples", "northwind-tenant.json"));
        await reader.ReadScopesAheadAsync();
        var findings = new List<StoredFinding>();
        var accepted = false;
        await foreach (var finding in new ScanEngine(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T02:05:00Z", System.Globalization.CultureInfo.InvariantCulture))).ScanAsync(reader, rules))
        {
            var f = finding;
            if (!accepted && f is { RuleId: "AZ-ENC-002", Outcome: Outcome.Fail })
            {
                accepted = true;
                f = f with
                {
                    Outcome = Outcome.Suppressed,
                    SuppressionJustification = "Scratch account for a legacy HTTP test client; no production data (RISK-112). (owner: dev-platform@northwind.example)",
                    SuppressionExpiresOn = new DateTimeOffset(2027, 2, 28, 23, 59, 59, TimeSpan.Zero),
                    SuppressionId = "dev-scratch-http",
                };
            }

            findings.Add(new StoredFinding(f, FindingScopes.ScopeOf(f, reader.Header.TenantId!), f.Outcome == Outcome.Pass ? null : HistoryStatus.New));
        }

        var header = reader.Header;
        var run = new RunRecord
        {
            RunId = RunId,
            TenantId = header.TenantId!,
            StartedAt = new DateTimeOffset(2026, 11, 27, 2, 5, 0, TimeSpan.Zero),
            FinishedAt = new DateTimeOffset(2026, 11, 27, 2, 5, 3, TimeSpan.Zero),
            Status = RunStatus.Completed,
            Scopes = header.Scopes.Select(s => new RunScope(s.Id, s.DisplayName, s.IsError ? ScopeStatus.Error : ScopeStatus.Ok, s.Error)).ToList(),
            Packs = packs.Select(p => new PackInfo(p.Id, p.Version, p.ContentHash)).ToList(),
            RuleIds = rules.Rules.Select(r => r.Rule.Id).ToList(),
            Trigger = "test",
            Counts = new RunCounts
            {
                Total = findings.Count,
                Pass = findings.Count(f => f.Finding.Outcome == Outcome.Pass),
                Fail = findings.Count(f => f.Finding.Outcome == Outcome.Fail),
                Error = findings.Count(f => f.Finding.Outcome == Outcome.Error),
                Suppressed = findings.Count(f => f.Finding.Outcome == Outcome.Suppressed),
                New = findings.Count(f => f.Status == HistoryStatus.New),
            },
            Provenance = new RunProvenance { ToolVersion = ToolVersion, CollectedAt = header.CollectedAt, SnapshotFile = "northwind-tenant.json" },
        };
        var docs = packs.SelectMany(p => p.Rules).ToDictionary(r => r.Id, r => new RuleDoc(r.Description, r.Links), StringComparer.Ordinal);
        return new SampleRun(run, findings, docs);
    }

    public async IAsyncEnumerable<StoredFinding> ReadFindingsAsync(FindingQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var finding in Findings.Where(_ => query.RunId == Run.RunId))
        {
            await Task.Yield();
            yield return finding;
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(query.TenantId is null || query.TenantId == Run.TenantId ? [Run] : []);

    public Task<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        Task.FromResult(runId == Run.RunId ? Run : null);

    public Task<RunRecord> CreateRunAsync(RunStart run, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<bool> TryUpdateRunAsync(string runId, string expectedVersion, RunChange change, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task SaveFindingsAsync(string runId, IReadOnlyList<Finding> findings, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<RunRecord> CompleteScopesAsync(string runId, IReadOnlyList<ScopeCompletion> completions, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<FindingPage> ListFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<IReadOnlyList<StoredFinding>> GetFindingsAsync(string runId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<IReadOnlyDictionary<string, FindingState>> GetFindingStatesAsync(string tenantId, IReadOnlyCollection<string> findingIds, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<IFinalizationSession> BeginFinalizationAsync(string runId, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<bool> TryRecordNotificationAsync(string runId, string channel, DateTimeOffset at, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task RecordNotificationResultAsync(string runId, string channel, NotificationStatus status, string? detail, DateTimeOffset at, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task UpsertSuppressionAsync(Suppression suppression, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<bool> DeleteSuppressionAsync(string id, CancellationToken cancellationToken = default) => throw ReadOnly();

    public Task<PruneResult> DeleteRunsAsync(IReadOnlyCollection<string> runIds, DateTimeOffset statesSeenBefore, CancellationToken cancellationToken = default) => throw ReadOnly();

    private static NotSupportedException ReadOnly() => new("the sample run is read-only");
}
