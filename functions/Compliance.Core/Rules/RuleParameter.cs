using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>A pack parameter: a threshold or list an organisation tunes without copying the rule.</summary>
public sealed record RuleParameter(
    string Name,
    RuleParameterType Type,
    JsonElement Default,
    IReadOnlyList<JsonElement>? AllowedValues,
    string? Description,
    SourceLocation Location);

public enum RuleParameterType
{
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Object,
}
