using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>Checks a parameter value against its declared type.</summary>
internal static class ParameterTypes
{
    /// <summary>Null when the value fits; otherwise the problem, e.g. "is a string, but the parameter is an integer".</summary>
    public static string? Check(RuleParameterType type, JsonElement value)
    {
        var fits = type switch
        {
            RuleParameterType.String => value.ValueKind == JsonValueKind.String,
            RuleParameterType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            RuleParameterType.Number => value.ValueKind == JsonValueKind.Number,
            RuleParameterType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            RuleParameterType.Array => value.ValueKind == JsonValueKind.Array,
            _ => value.ValueKind == JsonValueKind.Object,
        };
        return fits ? null : $"is {Conditions.Describe.Kind(value)} ({Conditions.Describe.Value(value)}), but the parameter's type is {type.ToString().ToLowerInvariant()}";
    }
}
