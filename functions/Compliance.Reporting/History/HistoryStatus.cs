using System.Text.Json.Serialization;
using Compliance.Core.Findings;

namespace Compliance.Reporting.History;

/// <summary>
/// How a finding compares with the last time it was seen (the previous finalised run of the tenant,
/// else the finding's stored state). A problem is a fail, error or suppressed finding.
/// </summary>
[JsonConverter(typeof(CamelCaseEnumConverter<HistoryStatus>))]
public enum HistoryStatus
{
    /// <summary>A problem now, and not a problem (or not seen) last time.</summary>
    New,

    /// <summary>A problem now and last time.</summary>
    Persisting,

    /// <summary>Passing now (or its resource is gone from a scope read this run) after being a problem last time. An error never resolves.</summary>
    Resolved,

    /// <summary>Failing (or suppressed) now after passing last time.</summary>
    Regressed,
}
