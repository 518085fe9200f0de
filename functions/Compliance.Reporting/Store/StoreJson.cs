using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Store;

/// <summary>How the stores write what is not a finding (findings go through <see cref="FindingCodec"/>).</summary>
public static class StoreJson
{
    public static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)StoreJsonContext.Default.GetTypeInfo(typeof(T))!);

    /// <summary>Writer options that give the bytes <see cref="Serialize{T}"/> gives (its encoder, not indented).</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = StoreJsonContext.Default.Options.Encoder,
        Indented = StoreJsonContext.Default.Options.WriteIndented,
    };

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)StoreJsonContext.Default.GetTypeInfo(typeof(T))!)
        ?? throw new ReportStoreException($"stored {typeof(T).Name} is null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunCounts))]
[JsonSerializable(typeof(List<PackInfo>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Suppression))]
[JsonSerializable(typeof(RunProvenance))]
[JsonSerializable(typeof(List<RunRecord>))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(RuleMeta))]
[JsonSerializable(typeof(FindingDetail))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
