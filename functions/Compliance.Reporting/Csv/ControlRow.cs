namespace Compliance.Reporting.Csv;

/// <summary>One (framework control, resource) of a run, with the status derived from its rules' findings.</summary>
public sealed record ControlRow
{
    public required string Framework { get; init; }

    public required string ControlId { get; init; }

    public required string ResourceId { get; init; }

    public required string ResourceName { get; init; }

    public required string ResourceType { get; init; }

    public string? SubscriptionId { get; init; }

    public required ControlStatus Status { get; init; }

    /// <summary>Every rule mapped to the control that has a finding on the resource.</summary>
    public required IReadOnlyList<string> Rules { get; init; }

    /// <summary>The rules that fail or could not be evaluated (error).</summary>
    public required IReadOnlyList<string> FailingRules { get; init; }

    public int Pass { get; init; }

    public int Fail { get; init; }

    public int Error { get; init; }

    public int Suppressed { get; init; }
}
