using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>Writes enums as their lower-camel-case wire names ("pass", "informational").</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
