using System.CommandLine;
using Compliance.Reporting.Evidence;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance export csv|sarif|ocsf</c>: the evidence folder of a stored run for auditors, or the run in an exchange format.</summary>
internal static class ExportCommand
{
    public static Command Create(CliEnvironment env)
    {
        var export = new Command("export", "Export a stored run for others.");
        var store = CliOptions.Store();
        var run = CliOptions.Run();
        var framework = new Option<string[]>("--framework") { Description = "Only these frameworks in controls.csv, e.g. CIS-Azure-3.0.0 (repeat, or separate with commas). Default: all.", AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<string>("--out") { Description = "The folder to write findings.csv, controls.csv, controls-summary.csv and manifest.json to (empty or new).", Required = true };
        var key = CliOptions.SigningKeyFile();
        var csv = new Command("csv", "Write the evidence folder of a run: findings.csv, controls.csv (with control titles), controls-summary.csv (per framework) and manifest.json (SHA-256 of each file, signed with HMAC-SHA256 when a signing key is configured).")
        {
            store, run, framework, outDir, key,
        };
        csv.SetAction(async (result, cancellationToken) =>
        {
            var signingKey = CliServices.SigningKey(result.GetValue(key));
            await using var reading = StoreReading.Open(env, result.GetValue(store));
            var reportStore = reading.Store;
            var target = await reading.RunAsync(result.GetValue(run), cancellationToken);
            var directory = result.GetValue(outDir)!;
            var manifest = await new EvidenceExporter(reportStore, env.Time).ExportAsync(
                new EvidenceRequest
                {
                    Run = target,
                    Directory = directory,
                    ToolVersion = CliServices.ToolVersion,
                    Frameworks = CliOptions.SplitList(result.GetValue(framework)).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
                    SigningKey = signingKey,
                },
                cancellationToken);
            foreach (var file in manifest.Files)
            {
                env.Out.WriteLine($"{Path.Combine(directory, file.Name)}  {file.Bytes} bytes  sha256 {file.Sha256}");
            }

            env.Out.WriteLine($"{Path.Combine(directory, EvidenceManifest.FileName)}  run {manifest.RunId}, " +
                              (manifest.Signature is { } signature ? $"signed (HMAC-SHA256, key {signature.KeyId})" : "not signed (no signing key configured)"));
            return ExitCodes.Success;
        });
        export.Add(csv);
        export.Add(ExportSarifCommand.Create(env));
        export.Add(ExportOcsfCommand.Create(env));
        return export;
    }
}
