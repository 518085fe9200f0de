using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Functions.Http;

/// <summary>Runs and findings as the HTTP API shows them.</summary>
internal static class ApiJson
{
    public static JsonObject Run(RunRecord run, string apiBase)
    {
        var self = $"{apiBase}/runs/{Uri.EscapeDataString(run.RunId)}";
        var node = new JsonObject
        {
            ["runId"] = run.RunId,
            ["tenantId"] = run.TenantId,
            ["status"] = StoreJson.Wire(run.Status),
            ["trigger"] = run.Trigger,
            ["startedAt"] = Time(run.StartedAt),
            ["finishedAt"] = run.FinishedAt is { } finished ? Time(finished) : null,
            ["previousRunId"] = run.PreviousRunId,
            ["scopes"] = new JsonArray(run.Scopes.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["displayName"] = s.DisplayName,
                ["status"] = StoreJson.Wire(s.Status),
                ["error"] = s.Error,
                ["completedAt"] = s.CompletedAt is { } at ? Time(at) : null,
            }).ToArray()),
            ["packs"] = new JsonArray(run.Packs.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["version"] = p.Version, ["contentHash"] = p.ContentHash }).ToArray()),
            ["counts"] = run.Counts is null ? null : JsonSerializer.SerializeToNode(run.Counts, ApiJsonContext.Default.RunCounts),
            ["notifications"] = new JsonArray(run.Notifications.Select(n => (JsonNode)new JsonObject
            {
                ["channel"] = n.Channel,
                ["status"] = StoreJson.Wire(n.Status),
                ["detail"] = n.Detail,
                ["recordedAt"] = Time(n.RecordedAt),
                ["completedAt"] = n.CompletedAt is { } at ? Time(at) : null,
            }).ToArray()),
            ["links"] = new JsonObject
            {
                ["self"] = self,
                ["findings"] = self + "/findings",
                ["evidence"] = new JsonObject
                {
                    ["findings.csv"] = self + "/evidence/findings.csv",
                    ["controls.csv"] = self + "/evidence/controls.csv",
                    ["manifest.json"] = self + "/evidence/manifest.json",
                },
            },
        };
        foreach (var empty in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            node.Remove(empty);
        }

        return node;
    }

    public static JsonObject Finding(StoredFinding stored)
    {
        var node = JsonSerializer.SerializeToNode(stored.Finding, FindingJson.Options)!.AsObject();
        if (stored.Status is { } status)
        {
            node["historyStatus"] = status.ToWire();
        }

        node["scopeId"] = stored.ScopeId;
        if (stored.Carried)
        {
            node["carried"] = true;
        }

        return node;
    }

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(RunCounts))]
internal sealed partial class ApiJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
