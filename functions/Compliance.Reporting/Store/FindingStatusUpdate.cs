using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>The history status of one evaluated finding of a run, at its place in the store's order.</summary>
public sealed record FindingStatusUpdate(string FindingId, HistoryStatus? Status, string OrderKey);
