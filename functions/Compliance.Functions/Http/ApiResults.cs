using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Microsoft.AspNetCore.Mvc;

namespace Compliance.Functions.Http;

/// <summary>The HTTP API's JSON answers: camelCase, as the findings JSON of the CLI; errors as { "error": { code, message, parameter? } }.</summary>
internal static class ApiResults
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false, Encoder = FindingJson.WriterOptions(false).Encoder };

    public static ContentResult Json(JsonNode body, int status = 200) => new()
    {
        Content = body.ToJsonString(Options),
        ContentType = "application/json; charset=utf-8",
        StatusCode = status,
    };

    public static ContentResult Error(int status, string code, string message, string? parameter = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (parameter is not null)
        {
            error["parameter"] = parameter;
        }

        return Json(new JsonObject { ["error"] = error }, status);
    }

    public static ContentResult BadParameter(string parameter, string message) => Error(400, "InvalidParameter", message, parameter);

    public static ContentResult RunNotFound(string runId) => Error(404, "RunNotFound", $"run '{runId}' does not exist");
}
