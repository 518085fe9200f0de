namespace Compliance.Reporting.Csv;

/// <summary>
/// A framework across a run: its assessed controls and how many passed, failed, could not be
/// evaluated (error) or pass only by an accepted exception (suppressed); and, where the tool holds the
/// framework's catalog, how many of the catalog's controls no rule of the run assessed (not covered).
/// </summary>
public sealed record FrameworkSummary
{
    public required string Framework { get; init; }

    /// <summary>For people: "NIST SP 800-53 Rev. 5"; the framework's name when no catalog knows it.</summary>
    public required string Title { get; init; }

    /// <summary>The assessed controls, in natural order (2.1 before 10.1).</summary>
    public required IReadOnlyList<ControlResult> Controls { get; init; }

    public int Passed => Controls.Count(c => c.Status == ControlStatus.Pass);

    public int Failed => Controls.Count(c => c.Status == ControlStatus.Fail);

    public int Error => Controls.Count(c => c.Status == ControlStatus.Error);

    public int Suppressed => Controls.Count(c => c.Status == ControlStatus.Suppressed);

    /// <summary>Controls of the catalog that no finding of the run maps to; null when the tool has no catalog of the framework.</summary>
    public int? NotCovered { get; init; }

    /// <summary>How many controls the tool's catalog of the framework holds; null without a catalog.</summary>
    public int? CatalogControls { get; init; }
}
