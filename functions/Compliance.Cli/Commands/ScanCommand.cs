using System.CommandLine;
using System.Globalization;
using System.Text;
using Compliance.Cli.Output;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance scan</c>: evaluate the rule packs against a snapshot and report the findings.</summary>
internal static class ScanCommand
{
    private const long ProgressThresholdBytes = 5 * 1024 * 1024;

    private const int SaveBatch = 500;

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
        var store = CliOptions.Store();
        var suppressions = new Option<string?>("--suppressions") { Description = $"A suppressions file. Default: {DefaultSuppressionsFile} in the current folder, when it exists. Suppressions kept in the store apply too." };
        var maxSuppressionDays = new Option<int?>("--suppression-max-days") { Description = "The furthest a suppression's expiry may lie from now, in days. Default: 365." };
        var retentionDays = new Option<int?>("--retention-days") { Description = "Prune stored runs older than this many days after the scan (each tenant's latest run is kept). Default: 400." };

        var passEvidence = new Option<bool>("--pass-evidence") { Description = "Give passing findings their evidence too (each checked path with its observed and expected value); slower. Failing findings always have it." };
        var live = new Option<bool>("--live") { Description = "Collect the live tenant first (see 'compliance collect'), then scan it; --snapshot then names where to keep the collected snapshot." };
        var liveOptions = new LiveOptions();

        var command = new Command("scan", "Scan a tenant snapshot (or, with --live, the tenant itself) with the rule packs, store the run and compare it with the previous one.")
        {
            snapshot, rules, outDir, format, failOn, parameters, asOf, store, suppressions, maxSuppressionDays, retentionDays, passEvidence, live,
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
                result.GetValue(asOf))
            {
                Store = result.GetValue(store),
                Suppressions = result.GetValue(suppressions),
                SuppressionMaxDays = result.GetValue(maxSuppressionDays),
                RetentionDays = result.GetValue(retentionDays),
                PassEvidence = result.GetValue(passEvidence),
            };
            return result.GetValue(live)
                ? RunLiveAsync(env, request, liveOptions.Read(result), cancellationToken)
                : RunAsync(env, request, cancellationToken);
        });
        return command;
    }

    public const string DefaultSuppressionsFile = "suppressions.json";

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

    internal sealed record ScanRequest(string? Snapshot, string[] Rules, string? OutDir, string Format, string? FailOn, Dictionary<string, string> Parameters, string? AsOf)
    {
        public string? Store { get; init; }

        public string? Suppressions { get; init; }

        public int? SuppressionMaxDays { get; init; }

        public int? RetentionDays { get; init; }

        public bool PassEvidence { get; init; }
    }

    public static async Task<int> RunAsync(CliEnvironment env, ScanRequest request, CancellationToken cancellationToken)
    {
        var loaded = RulePacks.Load(request.Rules);
        if (RulePacks.Report(loaded, env.Error))
        {
            return ExitCodes.BadInput;
        }

        var storeOptions = new ReportStoreOptions();
        if (request.RetentionDays is { } retention)
        {
            storeOptions.Retention = retention > 0 ? TimeSpan.FromDays(retention) : throw new UsageException("--retention-days must be a positive number of days");
        }

        var compiled = CompiledRuleSet.Compile(loaded.Packs, request.Parameters);
        var snapshotPath = request.Snapshot ?? BundledPaths.SampleSnapshot;
        var options = new ScanOptions { AsOf = ParseAsOf(request.AsOf, env.Time), PassEvidence = request.PassEvidence };
        var runStart = env.Time.GetUtcNow();

        // Suppressions are checked before anything is read: a bad file stops the scan with exit 2.
        var store = StoreAccess.Open(request.Store);
        var suppressionSet = new SuppressionSet(await LoadSuppressionsAsync(request, store, runStart, cancellationToken), runStart);

        using var reader = SnapshotReader.OpenFile(snapshotPath);
        var size = reader.TotalBytes ?? 0;
        env.Error.WriteLine($"Scanning {snapshotPath} ({FormatSize(size)}) with {compiled.Rules.Count} rules from {compiled.Packs.Count} packs…");

        var runId = RunIds.New(runStart);
        var engine = new ScanEngine(env.Time);
        RunRecord? run = null;
        var batch = new List<Finding>(SaveBatch);
        var seenScopes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        async Task Flush()
        {
            run ??= await store.CreateRunAsync(
                new RunStart
                {
                    RunId = runId,
                    TenantId = reader.Header.TenantId ?? "unknown",
                    StartedAt = runStart,
                    Packs = compiled.Packs.Select(p => new PackInfo(p.Id, p.Version, p.ContentHash)).ToList(),
                    RuleIds = compiled.Rules.Select(r => r.Rule.Id).ToList(),
                    Trigger = "cli",
                },
                cancellationToken);
            foreach (var scope in batch.GroupBy(f => FindingScopes.ScopeOf(f, run.TenantId), StringComparer.OrdinalIgnoreCase))
            {
                seenScopes.Add(scope.Key);
                await store.SaveFindingsAsync(runId, scope.Key, scope.ToList(), cancellationToken);
            }

            batch.Clear();
        }

        async Task Consume()
        {
            await foreach (var finding in engine.ScanAsync(reader, compiled, options, cancellationToken))
            {
                batch.Add(suppressionSet.Apply(finding));
                if (batch.Count == SaveBatch)
                {
                    await Flush();
                }
            }

            await Flush();
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

        // The snapshot's scopes say what was read; a scope that only shows in the findings was read too.
        var completedAt = env.Time.GetUtcNow();
        foreach (var scope in reader.Header.Scopes)
        {
            await store.CompleteScopeAsync(runId, new ScopeCompletion(scope.Id, scope.IsError ? ScopeStatus.Error : ScopeStatus.Ok, completedAt, scope.Error, scope.DisplayName), cancellationToken);
        }

        foreach (var scope in seenScopes.Where(s => !reader.Header.Scopes.Any(h => string.Equals(h.Id, s, StringComparison.OrdinalIgnoreCase))))
        {
            await store.CompleteScopeAsync(runId, new ScopeCompletion(scope, ScopeStatus.Ok, completedAt), cancellationToken);
        }

        var finalized = await StoreAccess.Finalizer(store, env, storeOptions).TryFinalizeAsync(runId, cancellationToken)
            ?? throw new InvalidOperationException($"run {runId} was finalised by someone else");
        var previous = finalized.PreviousRunId is { } previousId ? await store.GetRunAsync(previousId, cancellationToken) : null;
        var pruned = await store.PruneAsync(runStart - storeOptions.Retention, cancellationToken);
        if (pruned.RunsDeleted > 0)
        {
            env.Error.WriteLine($"Pruned {pruned.RunsDeleted} run(s) older than {storeOptions.Retention.TotalDays:0} days from the store.");
        }

        var tally = await WriteOutputsAsync(env, request, store, finalized, new ScanHistory(finalized, previous, store.DatabasePath, suppressionSet), reader, compiled, snapshotPath, cancellationToken);
        return ExitCode(env, request, tally);
    }

    private static async Task<IReadOnlyList<Suppression>> LoadSuppressionsAsync(ScanRequest request, IReportStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var options = new SuppressionOptions();
        if (request.SuppressionMaxDays is { } days)
        {
            options.MaxLifetime = days > 0 ? TimeSpan.FromDays(days) : throw new UsageException("--suppression-max-days must be a positive number of days");
        }

        var path = request.Suppressions ?? (File.Exists(DefaultSuppressionsFile) ? DefaultSuppressionsFile : null);
        var fromFile = path is null ? [] : SuppressionFile.Load(path, now, options);
        var fromStore = await store.ListSuppressionsAsync(cancellationToken);
        return [.. fromFile, .. fromStore.Where(s => !fromFile.Any(f => f.Id == s.Id))];
    }

    private static async Task<ScanTally> WriteOutputsAsync(
        CliEnvironment env, ScanRequest request, IReportStore store, RunRecord run, ScanHistory history, SnapshotReader reader, CompiledRuleSet compiled, string snapshotPath, CancellationToken cancellationToken)
    {
        var toFiles = request.OutDir is not null;
        if (toFiles)
        {
            Directory.CreateDirectory(request.OutDir!);
        }

        var tally = new ScanTally();
        await using var jsonFile = toFiles ? new StreamWriter(Path.Combine(request.OutDir!, "findings.json"), false, new UTF8Encoding(false)) : null;
        await using var csvFile = toFiles ? new StreamWriter(Path.Combine(request.OutDir!, "findings.csv"), false, new UTF8Encoding(false)) : null;
        using var json = toFiles ? new JsonArrayWriter(jsonFile!) : request.Format == "json" ? new JsonArrayWriter(env.Out) : null;
        using var csv = toFiles ? FindingsCsvWriter.Open(csvFile!) : request.Format == "csv" ? FindingsCsvWriter.Open(env.Out) : null;
        var keepDetails = toFiles || request.Format == "table";
        await foreach (var stored in StoreAccess.ReadAllAsync(store, new FindingQuery { RunId = run.RunId, PageSize = 1000 }, cancellationToken))
        {
            tally.Add(stored, keepDetails);
            json?.Write(stored);
            if (csv is not null)
            {
                FindingsCsvWriter.WriteRow(csv, new FindingRow(run.RunId, run.StartedAt, run.TenantId, stored.Finding, stored.Status.ToWire()));
            }
        }

        json?.Close();
        csv?.Flush();

        var snapshotName = Path.GetFileName(snapshotPath);
        if (toFiles)
        {
            var summaryPath = Path.Combine(request.OutDir!, "summary.txt");
            await using (var summaryFile = new StreamWriter(summaryPath, false, new UTF8Encoding(false)))
            {
                var fileConsole = PlainConsoles.For(summaryFile);
                SummaryReport.Render(fileConsole, tally, reader.Header, snapshotName, reader.ResourcesRead, compiled.Rules.Count, compiled.Packs.Count, history);
            }

            env.Error.WriteLine($"Wrote {tally.Total} findings to {Path.Combine(request.OutDir!, "findings.json")}, findings.csv and summary.txt " +
                                $"({tally.Count(Outcome.Fail)} fail, {tally.Count(Outcome.Error)} error, {tally.Count(Outcome.Suppressed)} suppressed, {tally.Count(Outcome.Pass)} pass; " +
                                $"{HistoryLine(tally)}). Stored as run {run.RunId} in {history.StorePath}.");
        }
        else if (request.Format == "table")
        {
            SummaryReport.Render(PlainConsoles.For(env.Out), tally, reader.Header, snapshotName, reader.ResourcesRead, compiled.Rules.Count, compiled.Packs.Count, history);
        }
        else
        {
            env.Error.WriteLine($"{tally.Total} findings: {tally.Count(Outcome.Fail)} fail, {tally.Count(Outcome.Error)} error, {tally.Count(Outcome.Suppressed)} suppressed, {tally.Count(Outcome.Pass)} pass; " +
                                $"{HistoryLine(tally)}. Stored as run {run.RunId} in {history.StorePath}.");
        }

        foreach (var expired in history.Suppressions.Expired)
        {
            env.Error.WriteLine($"warning: suppression {expired.Id} ({expired.Describe()}, owner {expired.Owner}, {expired.Source ?? "store"}) expired {expired.ExpiresOn:yyyy-MM-dd HH:mm} UTC and no longer applies.");
        }

        return tally;
    }

    private static string HistoryLine(ScanTally tally) =>
        $"{tally.Count(HistoryStatus.New)} new, {tally.Count(HistoryStatus.Regressed)} regressed, {tally.Count(HistoryStatus.Persisting)} persisting, {tally.Count(HistoryStatus.Resolved)} resolved";

    private static int ExitCode(CliEnvironment env, ScanRequest request, ScanTally tally)
    {
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

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MB",
    };
}
