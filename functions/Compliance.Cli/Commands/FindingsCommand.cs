using System.CommandLine;
using Compliance.Cli.Output;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance findings</c>: the findings of a stored run, filtered by history status, severity and outcome.</summary>
internal static class FindingsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var store = CliOptions.Store();
        var run = CliOptions.Run();
        var status = new Option<string[]>("--status") { Description = "Only findings with this history status: new, persisting, resolved, regressed (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var severity = new Option<string[]>("--severity") { Description = "Only findings of this severity: critical, high, medium, low, informational (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var outcome = new Option<string[]>("--outcome") { Description = "Only findings with this outcome: pass, fail, error, suppressed (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var format = CliOptions.Format("table", "json");
        var command = new Command("findings", "Show the findings of a stored run (default: the latest), with their history status.") { store, run, status, severity, outcome, format };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var reading = StoreReading.Open(env, result.GetValue(store));
            var reportStore = reading.Store;
            var query = new FindingQuery
            {
                RunId = string.Empty,
                Statuses = CliOptions.SplitList(result.GetValue(status)).Select(s => EnumNames.TryParse<HistoryStatus>(s, out var parsed) ? parsed : throw Bad("--status", s, EnumNames.Names<HistoryStatus>())).ToList(),
                Severities = CliOptions.SplitList(result.GetValue(severity)).Select(s => EnumNames.TryParseSeverity(s, out var parsed) ? parsed : throw Bad("--severity", s, EnumNames.Names<Severity>())).ToList(),
                Outcomes = CliOptions.SplitList(result.GetValue(outcome)).Select(s => EnumNames.TryParseOutcome(s, out var parsed) ? parsed : throw Bad("--outcome", s, EnumNames.Names<Outcome>())).ToList(),
            };
            var target = await reading.RunAsync(result.GetValue(run), cancellationToken);
            query = query with { RunId = target.RunId };

            if (result.GetValue(format) == "json")
            {
                using var json = new FindingsJsonWriter(env.Out);
                await foreach (var stored in reportStore.ReadFindingsAsync(query, cancellationToken))
                {
                    json.Write(stored);
                }

                json.Close();
                return ExitCodes.Success;
            }

            var findings = new List<StoredFinding>();
            await foreach (var stored in reportStore.ReadFindingsAsync(query, cancellationToken))
            {
                findings.Add(stored);
            }

            var console = PlainConsoles.For(env.Out);
            console.MarkupLine(Markup.Escape($"Run {target.RunId} of tenant {target.TenantId}, started {IsoTime.Minutes(target.StartedAt)} ({target.Status.ToWire()}"
                                             + (target.PreviousRunId is { } previous ? $", compared with run {previous}" : ", the first run of the tenant") + $"): {findings.Count} finding(s)"));
            if (target.SuspectReason is { } suspect)
            {
                console.MarkupLine(Markup.Escape(target.ChangesAccepted ? $"Changes accepted (--accept-changes): {suspect}" : $"Suspect run, nothing resolved: {suspect}"));
            }
            if (findings.Count == 0)
            {
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple).Expand()
                .AddColumn("Status").AddColumn("Severity").AddColumn("Outcome").AddColumn("Rule").AddColumn("Resource").AddColumn("Why");
            foreach (var stored in findings
                         .OrderBy(f => SummaryReport.StatusOrder(f.Status))
                         .ThenByDescending(f => f.Finding.Severity)
                         .ThenBy(f => f.Finding.RuleId, StringComparer.Ordinal)
                         .ThenBy(f => f.Finding.ResourceName, StringComparer.OrdinalIgnoreCase))
            {
                var f = stored.Finding;
                var why = f.Outcome == Outcome.Suppressed ? $"{f.Reason} Suppressed until {f.SuppressionExpiresOn:yyyy-MM-dd}: {f.SuppressionJustification}" : f.Reason;
                table.AddRow(
                    new Text(stored.Status.ToWire()),
                    new Text(f.Severity.ToWire()),
                    new Text(f.Outcome.ToWire()),
                    new Text(f.RuleId),
                    new Text($"{f.ResourceName}\n{f.ResourceType}"),
                    new Text(why));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static UsageException Bad(string option, string value, IEnumerable<string> allowed) =>
        new($"{option} '{value}': expected one of {string.Join(", ", allowed)}");
}
