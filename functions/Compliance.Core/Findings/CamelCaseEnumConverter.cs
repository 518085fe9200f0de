using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>Writes enums as their wire names (<see cref="EnumNames"/>): "pass", "informational".</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(EnumNames.Policy, allowIntegerValues: false)
    where TEnum : struct, Enum;
