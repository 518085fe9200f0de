using Compliance.Reporting.Store;

namespace Compliance.Reporting.Runs;

/// <summary>
/// Something a finalised run produces besides its history — its evidence in Blob storage, its alert —
/// written by <see cref="RunOutputs"/> each on its own, so that one failing output never stops the
/// others nor the run, and written again by the sweep when its writer died.
/// </summary>
public interface IRunOutput
{
    /// <summary>For logs: "evidence", "alert".</summary>
    string Name { get; }

    /// <summary>Whether the run's output exists (so the sweep does not write it twice).</summary>
    Task<bool> IsWrittenAsync(RunRecord run, CancellationToken cancellationToken);

    Task WriteAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>Deletes the output of a run the retention pruned.</summary>
    Task DeleteAsync(string runId, CancellationToken cancellationToken);
}
