using System.Text;
using System.Text.Json;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Store;

namespace Compliance.Functions.Scanning;

/// <summary>
/// Records a scope that could not be scanned (its message poisoned, the run timed out, the
/// subscription list could not be read) the way a failed collection is: the engine's
/// COLLECTION-SCOPE error finding, with the controls of every rule it hides, so nothing in that scope
/// is reported as compliant.
/// </summary>
public sealed class ScopeErrors(ScanEngine engine, RuleCatalog catalog, IReportStore store, TimeProvider time)
{
    /// <summary>Saves the scope's error finding and, when <paramref name="complete"/>, marks the scope as failed; returns the run as it then stands.</summary>
    public async Task<RunRecord> RecordAsync(RunRecord run, string scopeId, string? displayName, string error, bool complete, CancellationToken cancellationToken)
    {
        var finding = await ErrorFindingAsync(run.TenantId, scopeId, displayName, error, cancellationToken);
        await store.SaveFindingsAsync(run.RunId, scopeId, [finding], cancellationToken);
        return complete
            ? await store.CompleteScopeAsync(run.RunId, new ScopeCompletion(scopeId, ScopeStatus.Error, time.GetUtcNow(), error, displayName), cancellationToken)
            : run;
    }

    private async Task<Finding> ErrorFindingAsync(string tenantId, string scopeId, string? displayName, string error, CancellationToken cancellationToken)
    {
        // A snapshot of one failed scope and no resources: the engine turns it into the scope's error finding.
        var snapshot = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 1,
            tenantId,
            collectedAt = time.GetUtcNow(),
            scopes = new[] { new { id = scopeId, status = SnapshotScope.Failed, error, displayName } },
            resources = Array.Empty<object>(),
        });
        using var reader = SnapshotReader.Open(new MemoryStream(snapshot), "scope-error.json", SnapshotFormat.Document);
        await foreach (var finding in engine.ScanAsync(reader, catalog.Rules, cancellationToken: cancellationToken))
        {
            if (finding.RuleId == ScanEngine.CollectionRuleId)
            {
                return finding;
            }
        }

        throw new InvalidOperationException($"the engine gave no {ScanEngine.CollectionRuleId} finding for {scopeId}: {Encoding.UTF8.GetString(snapshot)}");
    }
}
