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

    /// <summary>Logs, diagnostic settings, alerts: imported Azure Policy definitions of the Monitoring category and the like.</summary>
    Monitoring,

    /// <summary>Backup, redundancy, recovery.</summary>
    Resilience,

    /// <summary>What is none of the others (tags, locations, allowed SKUs).</summary>
    General,

    /// <summary>Not a rule category: marks the finding that reports a scope the collector could not read.</summary>
    Collection,
}
