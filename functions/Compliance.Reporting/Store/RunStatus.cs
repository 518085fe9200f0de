using System.Text.Json.Serialization;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>Where a run is in its life.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Scopes are being collected and their findings saved.</summary>
    Running,

    /// <summary>One caller claimed the finalisation and is computing the history.</summary>
    Finalizing,

    /// <summary>Finalised with every expected scope reported (some may have failed: see the scopes).</summary>
    Completed,

    /// <summary>Finalised while some scopes had not reported (a stuck run finalised after a timeout).</summary>
    Incomplete,
}
