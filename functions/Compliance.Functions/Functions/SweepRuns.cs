using Compliance.Functions.Runs;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Functions;

/// <summary>Every 10 minutes: finalises stuck runs as incomplete and completes the outputs of runs whose finaliser died.</summary>
public sealed class SweepRuns(RunSweeper sweeper)
{
    public const string Schedule = "0 */10 * * * *";

    [Function(nameof(SweepRuns))]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.SweepAsync(cancellationToken);
}
