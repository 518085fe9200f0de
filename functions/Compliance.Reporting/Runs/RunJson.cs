using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The one JSON document of a run, shown by <c>compliance runs --format json</c> and the HTTP API:
/// status (and why it is suspect or abandoned), scopes with their status, packs, counts, provenance
/// (collectedAt, the snapshot's name and SHA-256, parameter overrides, tool version) and
/// notifications. Times are UTC (<see cref="IsoTime.Exact"/>); absent values are left out.
/// </summary>
public static class RunJson
{
    public static JsonObject ToNode(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var provenance = run.Provenance;
        var node = new JsonObject
        {
            ["runId"] = run.RunId,
            ["tenantId"] = run.TenantId,
            ["status"] = run.Status.ToWire(),
            ["suspectReason"] = run.SuspectReason,
            ["changesAccepted"] = run.ChangesAccepted ? true : null,
            ["abandonedReason"] = run.AbandonedReason,
            ["trigger"] = run.Trigger,
            ["startedAt"] = IsoTime.Exact(run.StartedAt),
            ["finishedAt"] = Time(run.FinishedAt),
            ["collectedAt"] = Time(provenance.CollectedAt),
            ["previousRunId"] = run.PreviousRunId,
            ["scopes"] = new JsonArray(run.Scopes.Select(s => (JsonNode)Compact(new JsonObject
            {
                ["id"] = s.Id,
                ["displayName"] = s.DisplayName,
                ["status"] = s.Status.ToWire(),
                ["error"] = s.Error,
                ["completedAt"] = Time(s.CompletedAt),
                ["collectedAt"] = Time(s.CollectedAt),
                ["resources"] = s.Resources,
                ["sha256"] = s.SnapshotSha256,
            })).ToArray()),
            ["packs"] = new JsonArray(run.Packs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["version"] = p.Version, ["contentHash"] = p.ContentHash }).ToArray()),
            ["ruleIds"] = new JsonArray(run.RuleIds.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()),
            ["counts"] = run.Counts is { } c ? new JsonObject
            {
                ["total"] = c.Total, ["pass"] = c.Pass, ["fail"] = c.Fail, ["error"] = c.Error, ["suppressed"] = c.Suppressed,
                ["new"] = c.New, ["persisting"] = c.Persisting, ["resolved"] = c.Resolved, ["regressed"] = c.Regressed,
                ["carried"] = c.Carried, ["withheld"] = c.Withheld,
            } : null,
            ["provenance"] = Compact(new JsonObject
            {
                ["toolVersion"] = provenance.ToolVersion,
                ["collectedAt"] = Time(provenance.CollectedAt),
                ["asOf"] = Time(provenance.AsOf),
                ["snapshotFile"] = provenance.SnapshotFile,
                ["snapshotSha256"] = provenance.SnapshotSha256,
                ["snapshotComplete"] = provenance.SnapshotComplete,
                ["parameters"] = provenance.Parameters.Count == 0 ? null : new JsonObject(provenance.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["broadSuppressions"] = provenance.BroadSuppressions.Count == 0 ? null : new JsonArray(provenance.BroadSuppressions.Select(b => (JsonNode)JsonValue.Create(b)).ToArray()),
            }),
            ["notifications"] = new JsonArray(run.Notifications.Select(n => (JsonNode)Compact(new JsonObject
            {
                ["channel"] = n.Channel,
                ["status"] = n.Status.ToWire(),
                ["detail"] = n.Detail,
                ["recordedAt"] = IsoTime.Exact(n.RecordedAt),
                ["completedAt"] = Time(n.CompletedAt),
            })).ToArray()),
        };
        return Compact(node);
    }

    private static string? Time(DateTimeOffset? time) => time is { } t ? IsoTime.Exact(t) : null;

    private static JsonObject Compact(JsonObject node)
    {
        foreach (var empty in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(empty);
        }

        return node;
    }
}
