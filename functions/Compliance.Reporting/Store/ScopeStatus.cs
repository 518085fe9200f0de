using System.Text.Json.Serialization;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>Whether a scope of a run was read.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<ScopeStatus>))]
public enum ScopeStatus
{
    /// <summary>Not reported yet.</summary>
    Pending,

    /// <summary>Read completely.</summary>
    Ok,

    /// <summary>Could not be read completely (or its message was poisoned): what was read and fails is a fail; nothing in it is reported as compliant.</summary>
    Error,
}
