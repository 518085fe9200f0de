using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>
/// The JSON form of findings, shared by the CLI, the stores and the HTTP API: camelCase names,
/// lower-case enum values, nulls omitted.
/// </summary>
public static class FindingJson
{
    public static JsonSerializerOptions Options => FindingJsonContext.Default.Options;

    public static void Write(Utf8JsonWriter writer, Finding finding) =>
        JsonSerializer.Serialize(writer, finding, FindingJsonContext.Default.Finding);

    public static string Serialize(Finding finding) =>
        JsonSerializer.Serialize(finding, FindingJsonContext.Default.Finding);

    public static Finding? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, FindingJsonContext.Default.Finding);

    public static JsonWriterOptions WriterOptions(bool indented) => new()
    {
        Indented = indented,

        // Resource names are shown as written; the output is JSON, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Finding))]
[JsonSerializable(typeof(List<Finding>))]
internal sealed partial class FindingJsonContext : JsonSerializerContext;
