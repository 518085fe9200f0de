namespace Compliance.Reporting.History;

/// <summary>How a run is finalised.</summary>
public sealed record FinalizeOptions
{
    /// <summary>Acknowledges a mass change (--accept-changes): a run the guard would call suspect is finalised as usual, and says so.</summary>
    public bool AcceptChanges { get; init; }

    /// <summary>Why the run is suspect whatever its counts (its snapshot may be cut short), decided before the history.</summary>
    public string? SuspectReason { get; init; }
}
