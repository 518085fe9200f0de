using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>Rule severity, ordered from least to most severe so that comparisons read naturally.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Severity>))]
public enum Severity
{
    Informational = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
