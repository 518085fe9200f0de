using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;

namespace Compliance.Functions.Http;

/// <summary>Runs and findings as the HTTP API shows them: the run pipeline's documents (<see cref="RunJson"/>, <see cref="FindingJson"/>) with the API's links.</summary>
internal static class ApiJson
{
    public static JsonObject Run(RunRecord run, string apiBase)
    {
        var self = $"{apiBase}/runs/{Uri.EscapeDataString(run.RunId)}";
        var node = RunJson.ToNode(run);
        node["links"] = new JsonObject
        {
            ["self"] = self,
            ["findings"] = self + "/findings",
            ["report"] = self + "/report",
            ["evidence"] = new JsonObject
            {
                ["findings.csv"] = self + "/evidence/findings.csv",
                ["controls.csv"] = self + "/evidence/controls.csv",
                ["controls-summary.csv"] = self + "/evidence/controls-summary.csv",
                ["manifest.json"] = self + "/evidence/manifest.json",
            },
        };
        return node;
    }

    /// <summary>The finding document every output writes, with its history status, scope and carried flag.</summary>
    public static JsonNode Finding(StoredFinding stored) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Utf8(stored)))!;

    private static byte[] Utf8(StoredFinding stored)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, FindingJson.WriterOptions(indented: false)))
        {
            FindingJson.Write(writer, stored.Finding, stored.Context);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
