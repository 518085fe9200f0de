using Compliance.Functions.Scanning;
using Compliance.Reporting.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Functions;

/// <summary>
/// Every 10 minutes, through the run pipeline: finalises stuck runs as incomplete, takes over
/// finalisations whose claim expired, and writes the outputs of runs whose finaliser died.
/// </summary>
public sealed class SweepRuns(RunRecorder recorder, RuleCatalog catalog, IOptions<ScanSettings> settings)
{
    public const string Schedule = "0 */10 * * * *";

    [Function(nameof(SweepRuns))]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        recorder.SweepAsync(catalog.Rules, settings.Value.StuckRunTimeout, settings.Value.FinalizeFor, cancellationToken);
}
