using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Store;

/// <summary>How the stores write what is not a finding (findings use <c>FindingJson</c>), and their one time format.</summary>
public static class StoreJson
{
    public static string Serialize<T>(T value) =>
        JsonSerializer.Serialize(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)StoreJsonContext.Default.GetTypeInfo(typeof(T))!);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)StoreJsonContext.Default.GetTypeInfo(typeof(T))!)
        ?? throw new ReportStoreException($"stored {typeof(T).Name} is null");

    /// <summary>UTC with 100 ns precision: sorts as text in the same order as in time.</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static TEnum ParseEnum<TEnum>(string text)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new ReportStoreException($"stored value '{text}' is not a {typeof(TEnum).Name}");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunCounts))]
[JsonSerializable(typeof(List<PackInfo>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(FindingState))]
[JsonSerializable(typeof(Suppression))]
[JsonSerializable(typeof(List<RunRecord>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
