namespace Compliance.Reporting.Csv;

/// <summary>
/// One control of a framework across a run's resources: its status (fail if any resource fails it,
/// else error, else suppressed, else pass), its title where the framework publishes one, how many
/// resources stand where, and the rules that fail it.
/// </summary>
public sealed record ControlResult
{
    public required string Framework { get; init; }

    public required string ControlId { get; init; }

    public string? Title { get; init; }

    public required ControlStatus Status { get; init; }

    public int ResourcesPass { get; init; }

    public int ResourcesFail { get; init; }

    public int ResourcesError { get; init; }

    public int ResourcesSuppressed { get; init; }

    /// <summary>Every rule mapped to the control that has a finding in the run.</summary>
    public required IReadOnlyList<string> Rules { get; init; }

    /// <summary>The rules that fail the control on some resource or could not be evaluated.</summary>
    public required IReadOnlyList<string> FailingRules { get; init; }
}
