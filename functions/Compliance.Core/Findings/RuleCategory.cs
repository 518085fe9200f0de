using System.Text.Json.Serialization;

namespace Compliance.Core.Findings;

/// <summary>What a rule looks at. <see cref="Collection"/> is reserved for scope-collection errors.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RuleCategory>))]
public enum RuleCategory
{
    Firewall,
    Encryption,
    Patching,
    Access,

    /// <summary>Not a rule category: marks the finding that reports a scope the collector could not read.</summary>
    Collection,
}
