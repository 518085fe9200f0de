using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>The statuses of a run's evaluated findings and the previous problems to carry over.</summary>
public sealed record Classification(IReadOnlyList<FindingStatusUpdate> Statuses, IReadOnlyList<CarryDecision> Carry);
