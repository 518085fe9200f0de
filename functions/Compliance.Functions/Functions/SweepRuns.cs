using Compliance.Functions.Scanning;
using Compliance.Reporting.Runs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Functions;

/// <summary>
/// Every 10 minutes, through the run pipeline: finalises stuck runs as incomplete, takes over
/// finalisations whose claim expired, writes the outputs of runs whose finaliser died, and deletes
/// the directory shares of runs that are over.
/// </summary>
public sealed class SweepRuns(RunRecorder recorder, RuleCatalog catalog, DirectoryShare directory, IOptions<ScanSettings> settings)
{
    public const string Schedule = "0 */10 * * * *";

    [Function(nameof(SweepRuns))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        await recorder.SweepAsync(catalog.Rules, settings.Value.StuckRunTimeout, settings.Value.FinalizeFor, cancellationToken);
        await directory.SweepAsync(recorder.Store, cancellationToken);
    }
}
