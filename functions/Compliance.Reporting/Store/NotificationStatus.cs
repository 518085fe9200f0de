using System.Text.Json.Serialization;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>Where a notification of a run stands.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<NotificationStatus>))]
public enum NotificationStatus
{
    /// <summary>Recorded before sending (so that it is never sent twice); no result yet.</summary>
    Claimed,

    /// <summary>Delivered.</summary>
    Sent,

    /// <summary>Taken by the receiver to be posted later (a Teams Workflows trigger answers 202 Accepted): not known to be posted.</summary>
    Accepted,

    /// <summary>Nothing to send (no new or regressed finding at or above the threshold).</summary>
    Skipped,

    /// <summary>Could not be delivered: the detail says why.</summary>
    Failed,
}
