using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Compliance.Cli.Output;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.History;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance scan</c>: parses its options and renders the result; the scan itself is the run
/// pipeline the Function App uses (<see cref="RunRecorder"/>), or, with <c>--store none</c>, the
/// engine and the suppressions straight to the outputs.
/// </summary>
internal static class ScanCommand
{
    public const string DefaultSuppressionsFile = "suppressions.json";

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
        var store = new Option<string?>("--store")
        {
            Description = $"The report store (a SQLite file, created on first use), or '{CliServices.NoStore}' to keep nothing and only write the output. Default: {CliOptions.DefaultStorePath}, under the current folder.",
        };
        var suppressions = new Option<string?>("--suppressions") { Description = $"A suppressions file. Default: {DefaultSuppressionsFile} in the current folder, when it exists. Suppressions kept in the store apply too." };
        var maxSuppressionDays = new Option<int?>("--suppression-max-days") { Description = "The furthest a suppression's expiry may lie from now, in days. Default: 365." };
        var retentionDays = new Option<int?>("--retention-days") { Description = "Prune stored runs older than this many days after the scan (each tenant's latest run is kept). Default: 400." };
        var acceptChanges = new Option<bool>("--accept-changes") { Description = "Accept a mass change the history would otherwise not believe (a run that would resolve most problems at once, or whose scopes hold nothing): store it as completed, not suspect." };
        var details = new Option<bool>("--details") { Description = "In the readable summary, show under each finding its resource id, the engine's reason and every observed value." };
        var passEvidence = new Option<bool>("--pass-evidence") { Description = "Give passing findings their evidence too (each checked path with its observed and expected value); slower. Failing findings always have it." };
        var live = new Option<bool>("--live") { Description = "Collect the live tenant first (see 'compliance collect'), then scan it; --snapshot then names where to keep the collected snapshot." };
        var liveOptions = new LiveOptions();

        var command = new Command("scan", "Scan a tenant snapshot (or, with --live, the tenant itself) with the rule packs, store the run and compare it with the previous one.")
        {
            snapshot, rules, outDir, format, failOn, parameters, asOf, store, suppressions, maxSuppressionDays, retentionDays, acceptChanges, passEvidence, details, live,
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
                Details = result.GetValue(details),
                AcceptChanges = result.GetValue(acceptChanges),
            };
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

    internal sealed record ScanRequest(string? Snapshot, string[] Rules, string? OutDir, string Format, string? FailOn, Dictionary<string, string> Parameters, string? AsOf)
    {
        public string? Store { get; init; }

        public string? Suppressions { get; init; }

        public int? SuppressionMaxDays { get; init; }

        public int? RetentionDays { get; init; }

        public bool PassEvidence { get; init; }

        public bool Details { get; init; }

        public bool AcceptChanges { get; init; }

        /// <summary>Configuration keys from the options: the same settings the Function App reads.</summary>
        public Dictionary<string, string?> Settings()
        {
            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (RetentionDays is { } retention)
            {
                settings["Store:Retention"] = retention > 0 ? TimeSpan.FromDays(retention).ToString("c", CultureInfo.InvariantCulture) : throw new UsageException("--retention-days must be a positive number of days");
            }

            if (SuppressionMaxDays is { } days)
            {
                settings["Suppressions:MaxLifetime"] = days > 0 ? TimeSpan.FromDays(days).ToString("c", CultureInfo.InvariantCulture) : throw new UsageException("--suppression-max-days must be a positive number of days");
            }

            return settings;
        }
    }

    public static async Task<int> RunAsync(CliEnvironment env, ScanRequest request, CancellationToken cancellationToken)
    {
        var loaded = RulePacks.Load(request.Rules);
        if (RulePacks.Report(loaded, env.Error))
        {
            return ExitCodes.BadInput;
        }

        var noStore = CliServices.IsNoStore(request.Store);
        await using var services = CliServices.Build(env, request.Store, readOnly: false, request.Settings());
        var compiled = CompiledRuleSet.Compile(loaded.Packs, request.Parameters);
        var snapshotPath = request.Snapshot ?? BundledPaths.SampleSnapshot;
        var options = new ScanOptions { AsOf = ParseAsOf(request.AsOf, env.Time), PassEvidence = request.PassEvidence };
        var scanStart = env.Time.GetUtcNow();

        // Suppressions are checked before anything is read: a bad file or store entry stops the scan with exit 2.
        var store = noStore ? null : services.Store();
        var suppressionPath = request.Suppressions ?? (File.Exists(DefaultSuppressionsFile) ? DefaultSuppressionsFile : null);
        var suppressions = await services.GetRequiredService<SuppressionSources>().LoadAsync(suppressionPath, store, cancellationToken);

        using var reader = SnapshotReader.OpenFile(snapshotPath);
        await reader.ReadScopesAheadAsync(cancellationToken);
        var size = reader.TotalBytes ?? 0;
        var sha256 = Task.Run(() => HashAsync(snapshotPath, cancellationToken), cancellationToken);
        env.Error.WriteLine($"Scanning {snapshotPath} ({FormatSize(size)}) with {compiled.Rules.Count} rules from {compiled.Packs.Count} packs…");

        await using var outputs = new ScanOutputs(env, request.OutDir, request.Format, request.Details);
        ScanHistory history;
        if (store is null)
        {
            await ShowProgressAsync(env, reader, () => ScanWithoutStoreAsync(services, reader, compiled, options, suppressions, outputs, scanStart, cancellationToken));
            history = new ScanHistory(null, null, null, suppressions);
        }
        else
        {
            var recorder = services.GetRequiredService<RunRecorder>();
            var tenant = reader.Header.TenantId ?? "unknown";
            var run = await recorder.StartAsync(
                new RunStart
                {
                    RunId = RunIds.New(scanStart),
                    TenantId = tenant,
                    StartedAt = scanStart,
                    Packs = compiled.Packs.Select(p => new PackInfo(p.Id, p.Version, p.ContentHash)).ToList(),
                    RuleIds = compiled.Rules.Select(r => r.Rule.Id).ToList(),
                    Trigger = "cli",
                    Provenance = new RunProvenance
                    {
                        ToolVersion = CliServices.ToolVersion,
                        Parameters = request.Parameters,
                        CollectedAt = reader.Header.CollectedAt,
                        AsOf = options.AsOf,
                        SnapshotFile = Path.GetFileName(snapshotPath),
                        BroadSuppressions = suppressions.Broad.Select(s => s.Id).ToList(),
                    },
                },
                cancellationToken);
            await ShowProgressAsync(env, reader, () => recorder.RecordSnapshotAsync(run, reader, compiled, suppressions, new RecordOptions { Scan = options }, cancellationToken));

            var header = reader.Header;
            var hash = await sha256;
            await recorder.SetProvenanceAsync(run.RunId, p => p with { CollectedAt = header.CollectedAt, SnapshotSha256 = hash, SnapshotComplete = header.Complete }, cancellationToken);
            var finished = await recorder.FinishAsync(
                run.RunId,
                new FinalizeOptions
                {
                    AcceptChanges = request.AcceptChanges,
                    SuspectReason = header.Complete == false ? $"{Path.GetFileName(snapshotPath)} may be truncated: {header.IncompleteReason}" : null,
                },
                cancellationToken) ?? throw new InvalidOperationException($"run {run.RunId} was finalised by someone else");
            var previous = finished.PreviousRunId is { } previousId ? await store.GetRunAsync(previousId, cancellationToken) : null;
            await foreach (var stored in store.ReadFindingsAsync(new FindingQuery { RunId = finished.RunId }, cancellationToken).ReadAheadAsync(cancellationToken))
            {
                outputs.Add(stored, finished.RunId, finished.StartedAt, finished.TenantId);
            }

            history = new ScanHistory(finished, previous, store.DatabasePath, suppressions);
        }

        if (reader.Header.Complete == false)
        {
            env.Error.WriteLine($"warning: {snapshotPath} may be truncated: {reader.Header.IncompleteReason}.");
        }

        await outputs.FinishAsync(reader.Header, Path.GetFileName(snapshotPath), reader.ResourcesRead, compiled.Rules.Count, compiled.Packs.Count, history, cancellationToken);
        if (request.OutDir is { } outDir)
        {
            await WriteReportAsync(env, services, history.Run, outDir, cancellationToken);
        }

        return ExitCode(env, request, outputs.Tally);
    }

    /// <summary>--out DIR: the HTML report of the stored run beside the CSV (a report needs the run's history: not with --store none).</summary>
    private static async Task WriteReportAsync(CliEnvironment env, IServiceProvider services, RunRecord? run, string outDir, CancellationToken cancellationToken)
    {
        if (run is null)
        {
            env.Error.WriteLine($"No {Reporting.Report.HtmlReport.FileName} with --store {CliServices.NoStore}: the report is made from a stored run.");
            return;
        }

        var path = Path.Combine(outDir, Reporting.Report.HtmlReport.FileName);
        await ReportCommand.WriteAsync(services.GetRequiredService<Reporting.Report.HtmlReport>(), run, path, cancellationToken);
        env.Error.WriteLine($"Wrote the report of run {run.RunId} to {path}.");
    }

    /// <summary>--store none: the engine's findings, suppressed, straight to the outputs; no run, no history.</summary>
    private static async Task ScanWithoutStoreAsync(IServiceProvider services, SnapshotReader reader, CompiledRuleSet rules, ScanOptions options, SuppressionSet suppressions, ScanOutputs outputs, DateTimeOffset scanStart, CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<ScanEngine>();
        var tenant = reader.Header.TenantId ?? "unknown";
        await foreach (var finding in engine.ScanAsync(reader, rules, options, cancellationToken))
        {
            var stored = new StoredFinding(suppressions.Apply(finding), FindingScopes.ScopeOf(finding, tenant));
            outputs.Add(stored, string.Empty, scanStart, reader.Header.TenantId);
        }
    }

    private static Task ShowProgressAsync(CliEnvironment env, SnapshotReader reader, Func<Task> scan) =>
        ProgressDisplay.RunAsync(env, "Scanning", () => (reader.BytesRead, reader.TotalBytes is > 0 and var total ? total : null), scan);

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

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

        if (IsoTime.TryParse(text, out var at))
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
