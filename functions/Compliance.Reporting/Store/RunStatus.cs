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

    /// <summary>
    /// Finalised, but what it would change is not believed: its snapshot may be cut short, its readable
    /// scopes hold nothing where the previous run's held resources, or it would resolve most of the
    /// previous problems at once. Nothing is resolved, the finding states are left as they were, and the
    /// next run compares with the run before it. <c>--accept-changes</c> acknowledges such a change.
    /// </summary>
    Suspect,

    /// <summary>Left running or finalising past the timeout (its process was killed): never finalised, never compared with.</summary>
    Abandoned,
}
