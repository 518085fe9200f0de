using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>Renders values for evidence: quoted strings, raw numbers, compact JSON, trimmed to a readable length.</summary>
internal static class Describe
{
    /// <summary>Observed values longer than this are cut: evidence is read by people and stored per finding.</summary>
    public const int MaxValueLength = 160;

    public static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "missing",
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => Trim(Compact(value)),
    };

    public static string Quote(string text) => "'" + Trim(text) + "'";

    public static string List(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Value(array);
        }

        var items = array.EnumerateArray().Select(Value).ToList();
        return Trim("[" + string.Join(", ", items) + "]");
    }

    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "missing",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    public static string Trim(string text)
    {
        if (text.Length <= MaxValueLength)
        {
            return text;
        }

        return string.Concat(text.AsSpan(0, MaxValueLength), $"… ({text.Length - MaxValueLength} more characters)");
    }

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
