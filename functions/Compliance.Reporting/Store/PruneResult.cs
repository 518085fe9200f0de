namespace Compliance.Reporting.Store;

/// <summary>What a prune deleted.</summary>
public sealed record PruneResult(int RunsDeleted, long FindingsDeleted, long StatesDeleted)
{
    public static PruneResult None { get; } = new(0, 0, 0);
}
