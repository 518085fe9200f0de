namespace Compliance.Reporting.Store;

/// <summary>What each run status allows.</summary>
public static class RunStatuses
{
    /// <summary>Finalised: its findings and history are settled (completed, incomplete or suspect).</summary>
    public static bool IsFinalized(this RunStatus status) => status is RunStatus.Completed or RunStatus.Incomplete or RunStatus.Suspect;

    /// <summary>Whether a later run may compare with it: finalised and believed (not suspect).</summary>
    public static bool IsBaseline(this RunStatus status) => status is RunStatus.Completed or RunStatus.Incomplete;

    /// <summary>Still being written: running or finalising.</summary>
    public static bool IsOpen(this RunStatus status) => status is RunStatus.Running or RunStatus.Finalizing;

    public static IReadOnlyCollection<RunStatus> Finalized { get; } = [RunStatus.Completed, RunStatus.Incomplete, RunStatus.Suspect];

    public static IReadOnlyCollection<RunStatus> Baselines { get; } = [RunStatus.Completed, RunStatus.Incomplete];

    public static IReadOnlyCollection<RunStatus> Open { get; } = [RunStatus.Running, RunStatus.Finalizing];
}
