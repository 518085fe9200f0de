using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>The result of evaluating one rule against one resource.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Outcome>))]
public enum Outcome
{
    /// <summary>The resource satisfies the rule's condition.</summary>
    Pass,

    /// <summary>The resource does not satisfy the rule's condition.</summary>
    Fail,

    /// <summary>The rule could not be decided: the data could not be read or compared.</summary>
    Error,

    /// <summary>The finding failed but an active suppression covers it.</summary>
    Suppressed,
}
