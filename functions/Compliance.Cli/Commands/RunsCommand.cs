using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Findings;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance runs</c>: the stored runs, newest first.</summary>
internal static class RunsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var store = CliOptions.Store();
        var tenant = new Option<string?>("--tenant") { Description = "Only runs of this tenant id." };
        var limit = new Option<int>("--limit") { Description = "At most this many runs.", DefaultValueFactory = _ => 20 };
        var format = CliOptions.Format("table", "json");
        var command = new Command("runs", "List the stored runs, newest first: status (and why a run is suspect or abandoned), when the tenant was read, scopes, counts and what changed.") { store, tenant, limit, format };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var reading = StoreReading.Open(env, result.GetValue(store));
            var reportStore = reading.Store;
            var runs = await reportStore.ListRunsAsync(new RunQuery { TenantId = result.GetValue(tenant), Limit = Math.Max(1, result.GetValue(limit)) }, cancellationToken);
            if (result.GetValue(format) == "json")
            {
                var array = new JsonArray(runs.Select(r => (JsonNode)RunJson.ToNode(r)).ToArray());
                env.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = FindingJson.WriterOptions(false).Encoder }));
                return ExitCodes.Success;
            }

            if (runs.Count == 0)
            {
                env.Out.WriteLine($"No runs in {reportStore.DatabasePath} yet: run 'compliance scan' (with the same --store).");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("Run").NoWrap()).AddColumn(new TableColumn("Started (UTC)").NoWrap()).AddColumn(new TableColumn("Collected (UTC)").NoWrap())
                .AddColumn("Status").AddColumn("Scopes ok/error/pending")
                .AddColumn("fail").AddColumn("error").AddColumn("suppr.").AddColumn("pass")
                .AddColumn("new").AddColumn("regressed").AddColumn("resolved").AddColumn("Packs (see --format json)");
            foreach (var run in runs)
            {
                var c = run.Counts;
                string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
                table.AddRow(
                    Markup.Escape(run.RunId),
                    IsoTime.Minutes(run.StartedAt)[..16],
                    run.Provenance.CollectedAt is { } collected ? IsoTime.Minutes(collected)[..16] : "-",
                    run.Status.ToWire() + (run.ChangesAccepted ? " (changes accepted)" : string.Empty),
                    $"{run.Scopes.Count(s => s.Status == ScopeStatus.Ok)}/{run.Scopes.Count(s => s.Status == ScopeStatus.Error)}/{run.Scopes.Count(s => s.Status == ScopeStatus.Pending)}",
                    N(c?.Fail), N(c?.Error), N(c?.Suppressed), N(c?.Pass), N(c?.New), N(c?.Regressed), N(c?.Resolved),
                    run.Packs.Count.ToString(CultureInfo.InvariantCulture));
            }

            var console = Output.PlainConsoles.For(env.Out);
            console.MarkupLine(Markup.Escape($"Runs in {reportStore.DatabasePath} (tenant {runs[0].TenantId}{(runs.Any(r => r.TenantId != runs[0].TenantId) ? " and others" : string.Empty)}):"));
            console.Write(table);
            foreach (var run in runs.Where(r => r.SuspectReason is not null || r.AbandonedReason is not null))
            {
                var why = run.Status switch
                {
                    RunStatus.Suspect => $"suspect, nothing resolved: {run.SuspectReason}",
                    RunStatus.Abandoned => $"abandoned: {run.AbandonedReason}",
                    _ => $"changes accepted: {run.SuspectReason}",
                };
                console.MarkupLine(Markup.Escape($"  {run.RunId}: {why}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
