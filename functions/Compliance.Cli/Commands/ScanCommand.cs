using System.CommandLine;
using System.Globalization;
using System.Text;
using Compliance.Cli.Output;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Csv;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance scan</c>: evaluate the rule packs against a snapshot and report the findings.</summary>
internal static class ScanCommand
{
    private const long ProgressThresholdBytes = 5 * 1024 * 1024;

    public static Command Create(CliEnvironment env)
    {
        var snapshot = new Option<string?>("--snapshot") { Description = "The snapshot to scan (.json, or .jsonl with one resource per line). Default: the bundled sample tenant." };
        var rules = CliOptions.Rules();
        var outDir = new Option<string?>("--out") { Description = "Write findings.json, findings.csv and summary.txt to this folder instead of standard output." };
        var format = new Option<string>("--format") { Description = "Output on standard output: table (readable summary), json (the findings array) or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var failOn = CliOptions.FailOn();
        var parameters = CliOptions.Parameters();
        var asOf = new Option<string?>("--as-of") { Description = "Evaluation time of olderThan/newerThan: 'now' or an ISO-8601 date-time. Default: the snapshot's collectedAt." };

        var live = new Option<bool>("--live") { Description = "Collect the live tenant first (see 'compliance collect'), then scan it; --snapshot then names where to keep the collected snapshot." };
        var liveOptions = new LiveOptions();

        var command = new Command("scan", "Scan a tenant snapshot with the rule packs.")
        {
            snapshot, rules, outDir, format, failOn, parameters, asOf, live,
        };
        foreach (var option in liveOptions.All)
        {
            command.Add(option);
        }

        command.SetAction((result, cancellationToken) =>
        {
            var request = new ScanRequest(
                result.GetValue(snapshot),
                result.GetValue(rules) ?? [],
                result.GetValue(outDir),
                result.GetValue(format) ?? "table",
                result.GetValue(failOn),
                CliOptions.ParseParameters(result.GetValue(parameters)),
                result.GetValue(asOf));
            return result.GetValue(live)
                ? RunLiveAsync(env, request, liveOptions.Read(result), cancellationToken)
                : RunAsync(env, request, cancellationToken);
        });
        return command;
    }

    /// <summary>Collects the live tenant into a snapshot (a temporary file unless --snapshot names one), then scans it like any snapshot.</summary>
    private static async Task<int> RunLiveAsync(CliEnvironment env, ScanRequest request, LiveSettings settings, CancellationToken cancellationToken)
    {
        var keep = request.Snapshot is not null;
        var path = request.Snapshot ?? Path.Combine(Path.GetTempPath(), $"compliance-live-{Guid.NewGuid():N}.json");
        try
        {
            await CollectCommand.CollectAsync(env, settings, request.Rules, path, cancellationToken);
            return await RunAsync(env, request with { Snapshot = path }, cancellationToken);
        }
        finally
        {
            if (!keep)
            {
                File.Delete(path);
            }
        }
    }

    internal sealed record ScanRequest(string? Snapshot, string[] Rules, string? OutDir, string Format, string? FailOn, Dictionary<string, string> Parameters, string? AsOf);

    public static async Task<int> RunAsync(CliEnvironment env, ScanRequest request, CancellationToken cancellationToken)
    {
        var loaded = RulePacks.Load(request.Rules);
        if (RulePacks.Report(loaded, env.Error))
        {
            return ExitCodes.BadInput;
        }

        var compiled = CompiledRuleSet.Compile(loaded.Packs, request.Parameters);
        var snapshotPath = request.Snapshot ?? BundledPaths.SampleSnapshot;
        var options = new ScanOptions { AsOf = ParseAsOf(request.AsOf, env.Time) };

        using var reader = SnapshotReader.OpenFile(snapshotPath);
        var size = reader.TotalBytes ?? 0;
        env.Error.WriteLine($"Scanning {snapshotPath} ({FormatSize(size)}) with {compiled.Rules.Count} rules from {compiled.Packs.Count} packs…");

        var tally = new ScanTally();
        var runTime = env.Time.GetUtcNow();
        var runId = "local-" + runTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var engine = new ScanEngine(env.Time);

        var toFiles = request.OutDir is not null;
        if (toFiles)
        {
            Directory.CreateDirectory(request.OutDir!);
        }

        await using var jsonFile = toFiles ? new StreamWriter(Path.Combine(request.OutDir!, "findings.json"), false, new UTF8Encoding(false)) : null;
        await using var csvFile = toFiles ? new StreamWriter(Path.Combine(request.OutDir!, "findings.csv"), false, new UTF8Encoding(false)) : null;
        using var json = toFiles ? new JsonArrayWriter(jsonFile!) : request.Format == "json" ? new JsonArrayWriter(env.Out) : null;
        using var csv = toFiles ? FindingsCsvWriter.Open(csvFile!) : request.Format == "csv" ? FindingsCsvWriter.Open(env.Out) : null;
        var keepProblems = toFiles || request.Format == "table";

        async Task Consume()
        {
            await foreach (var finding in engine.ScanAsync(reader, compiled, options, cancellationToken))
            {
                tally.Add(finding, keepProblems);
                json?.Write(finding);
                if (csv is not null)
                {
                    FindingsCsvWriter.WriteRow(csv, new FindingRow(runId, runTime, reader.Header.TenantId, finding));
                }
            }
        }

        if (env.ErrorIsTerminal && size > ProgressThresholdBytes)
        {
            var progressConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(env.Error) });
            await progressConsole.Progress().AutoClear(true).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Scanning", maxValue: size);
                var scan = Consume();
                while (!scan.IsCompleted)
                {
                    task.Value = reader.BytesRead;
                    await Task.WhenAny(scan, Task.Delay(200, cancellationToken));
                }

                await scan;
                task.Value = size;
            });
        }
        else
        {
            await Consume();
        }

        json?.Close();
        csv?.Flush();

        var snapshotName = Path.GetFileName(snapshotPath);
        if (toFiles)
        {
            var summaryPath = Path.Combine(request.OutDir!, "summary.txt");
            await using (var summaryFile = new StreamWriter(summaryPath, false, new UTF8Encoding(false)))
            {
                var fileConsole = PlainConsole(summaryFile);
                SummaryReport.Render(fileConsole, tally, reader.Header, snapshotName, reader.ResourcesRead, compiled.Rules.Count, compiled.Packs.Count);
            }

            env.Error.WriteLine($"Wrote {tally.Total} findings to {Path.Combine(request.OutDir!, "findings.json")}, findings.csv and summary.txt " +
                                $"({tally.Count(Outcome.Fail)} fail, {tally.Count(Outcome.Error)} error, {tally.Count(Outcome.Pass)} pass).");
        }
        else if (request.Format == "table")
        {
            SummaryReport.Render(ConsoleFor(env.Out, env), tally, reader.Header, snapshotName, reader.ResourcesRead, compiled.Rules.Count, compiled.Packs.Count);
        }
        else
        {
            env.Error.WriteLine($"{tally.Total} findings: {tally.Count(Outcome.Fail)} fail, {tally.Count(Outcome.Error)} error, {tally.Count(Outcome.Pass)} pass.");
        }

        if (request.FailOn is not null && EnumNames.TryParseSeverity(request.FailOn, out var threshold) && tally.AnyAtOrAbove(threshold))
        {
            env.Error.WriteLine($"Failing: findings at or above '{request.FailOn}' (--fail-on).");
            return ExitCodes.Findings;
        }

        return ExitCodes.Success;
    }

    private static DateTimeOffset? ParseAsOf(string? text, TimeProvider time)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return time.GetUtcNow();
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw new UsageException($"--as-of '{text}': expected 'now' or an ISO-8601 date-time such as 2026-11-27T00:00:00Z");
    }

    private static IAnsiConsole ConsoleFor(TextWriter writer, CliEnvironment env)
    {
        var isConsole = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        if (!isConsole)
        {
            return PlainConsole(writer);
        }

        return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
    }

    /// <summary>A console without colours and with a fixed width, for files and redirected output.</summary>
    private static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;
        return console;
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MB",
    };
}
