using System.CommandLine;
using System.Text;
using Compliance.Core.Findings;
using Compliance.Reporting.Report;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance report</c>: the HTML report of a stored run, one self-contained file to read, share or print.</summary>
internal static class ReportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var store = CliOptions.Store();
        var run = CliOptions.Run();
        var outFile = new Option<string>("--out") { Description = $"The HTML file to write, e.g. {HtmlReport.FileName} (replaced if it exists).", Required = true };
        var command = new Command("report", "Write the HTML report of a stored run: provenance, scopes, problems by severity and category, the trend over the tenant's last runs, the roll-up per framework with control titles, and every problem with its evidence and remediation. One self-contained file: it loads nothing from the network.")
        {
            store, run, outFile,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var reading = StoreReading.Open(env, result.GetValue(store));
            var target = await reading.RunAsync(result.GetValue(run), cancellationToken);
            var path = result.GetValue(outFile)!;
            await WriteAsync(new HtmlReport(reading.Store, env.Time), target, path, cancellationToken);
            env.Out.WriteLine($"{path}  run {target.RunId} ({target.Status.ToWire()}), {new FileInfo(path).Length} bytes");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Writes the report of a run to a file (also what <c>scan --out</c> writes beside its CSV).</summary>
    public static async Task WriteAsync(HtmlReport report, Reporting.Store.RunRecord run, string path, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await report.WriteAsync(run, writer, CliServices.ToolVersion, cancellationToken);
    }
}
