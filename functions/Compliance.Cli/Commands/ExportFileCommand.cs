using System.CommandLine;
using Compliance.Core.Findings;
using Compliance.Reporting.Exports;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Commands;

/// <summary>
/// What <c>export sarif</c> and <c>export ocsf</c> share: the store read-only, the run, one output file,
/// and the rules' descriptions and links (which a stored run does not keep) from the packs that
/// produced the run — the built-in ones or <c>--rules</c>, matched by pack id, version and content hash.
/// </summary>
internal static class ExportFileCommand
{
    public delegate Task<ExportSummary> Writer(IReportStore store, RunRecord run, Stream output, IReadOnlyDictionary<string, RuleDoc> docs, CancellationToken cancellationToken);

    public static Command Create(CliEnvironment env, string name, string description, string example, string records, Writer write)
    {
        var store = CliOptions.Store();
        var run = CliOptions.Run();
        var outFile = new Option<string>("--out") { Description = $"The file to write, e.g. {example} (replaced if it exists).", Required = true };
        var rules = CliOptions.Rules();
        rules.Description = "The rule packs the run used, for the rules' descriptions and links (a stored run keeps neither). Default: the built-in packs.";
        var command = new Command(name, description) { store, run, outFile, rules };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var reading = StoreReading.Open(env, result.GetValue(store));
            var target = await reading.RunAsync(result.GetValue(run), cancellationToken);
            var docs = Docs(env, target, result.GetValue(rules));
            var path = result.GetValue(outFile)!;
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }

            var temporary = path + ".partial";
            ExportSummary summary;
            await using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                summary = await write(reading.Store, target, output, docs, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
            env.Out.WriteLine($"{path}  run {target.RunId} ({target.Status.ToWire()}): {summary.Records} {records}, {summary.Rules} rules, {new FileInfo(path).Length} bytes");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, RuleDoc> Docs(CliEnvironment env, RunRecord run, string[]? paths)
    {
        var loaded = RulePacks.Load(paths);
        var docs = new Dictionary<string, RuleDoc>(StringComparer.Ordinal);
        foreach (var pack in run.Packs)
        {
            var match = loaded.Packs.FirstOrDefault(p => p.Id == pack.Id && p.Version == pack.Version && p.ContentHash == pack.ContentHash);
            if (match is null)
            {
                env.Error.WriteLine($"note: pack {pack.Id} {pack.Version} of run {run.RunId} is not among the packs loaded (or has changed since): its rules' descriptions and links are left out; --rules names the packs the run used.");
                continue;
            }

            foreach (var rule in match.Rules)
            {
                docs[rule.Id] = new RuleDoc(rule.Description, rule.Links);
            }
        }

        return docs;
    }
}
