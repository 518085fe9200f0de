namespace Compliance.Reporting.Store;

/// <summary>What a prune deleted.</summary>
public sealed record PruneResult(int RunsDeleted, int FindingsDeleted, int StatesDeleted);
