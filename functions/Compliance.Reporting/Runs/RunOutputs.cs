using Compliance.Reporting.Store;
using Microsoft.Extensions.Logging;

namespace Compliance.Reporting.Runs;

/// <summary>
/// Writes a finalised run's outputs each on its own: a failure (Teams down, a missing signing key) is
/// logged with its reason and the others still go out; nothing here fails the run.
/// </summary>
public sealed class RunOutputs(IEnumerable<IRunOutput> outputs, ILogger<RunOutputs> logger)
{
    public IReadOnlyList<IRunOutput> All { get; } = outputs.ToList();

    /// <summary>Writes every output of the run; returns the failures as "name: reason".</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(RunRecord run, CancellationToken cancellationToken) =>
        await EachAsync(run, onlyMissing: false, cancellationToken);

    /// <summary>Writes the outputs a finalised run lacks (its finaliser died before writing them).</summary>
    public async Task<IReadOnlyList<string>> WriteMissingAsync(RunRecord run, CancellationToken cancellationToken) =>
        await EachAsync(run, onlyMissing: true, cancellationToken);

    public async Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        foreach (var output in All)
        {
            try
            {
                await output.DeleteAsync(runId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("The {Output} of pruned run {RunId} could not be deleted: {Error}", output.Name, runId, ex.Message);
            }
        }
    }

    private async Task<IReadOnlyList<string>> EachAsync(RunRecord run, bool onlyMissing, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var output in All)
        {
            try
            {
                if (onlyMissing && await output.IsWrittenAsync(run, cancellationToken))
                {
                    continue;
                }

                if (onlyMissing)
                {
                    logger.LogWarning("Run {RunId} was finalised without its {Output}: writing it now", run.RunId, output.Name);
                }

                await output.WriteAsync(run, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError("The {Output} of run {RunId} could not be written: {Error}", output.Name, run.RunId, ex.Message);
                failures.Add($"{output.Name}: {ex.Message}");
            }
        }

        return failures;
    }
}
