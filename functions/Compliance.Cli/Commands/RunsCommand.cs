using System.CommandLine;
using System.Globalization;
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
        var command = new Command("runs", "List the stored runs, newest first: status, scopes, counts and what changed.") { store, tenant, limit, format };
        command.SetAction(async (result, cancellationToken) =>
        {
            var reportStore = StoreAccess.Open(result.GetValue(store));
            var runs = await reportStore.ListRunsAsync(new RunQuery { TenantId = result.GetValue(tenant), Limit = Math.Max(1, result.GetValue(limit)) }, cancellationToken);
            if (result.GetValue(format) == "json")
            {
                env.Out.WriteLine(StoreJson.Serialize(runs.ToList()));
                return ExitCodes.Success;
            }

            if (runs.Count == 0)
            {
                env.Out.WriteLine($"No runs in {reportStore.DatabasePath} yet: run 'compliance scan' (with the same --store).");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumn(new TableColumn("Run").NoWrap()).AddColumn(new TableColumn("Started (UTC)").NoWrap()).AddColumn("Status").AddColumn("Scopes ok/error/pending")
                .AddColumn("fail").AddColumn("error").AddColumn("suppr.").AddColumn("pass")
                .AddColumn("new").AddColumn("regressed").AddColumn("resolved").AddColumn("Packs (see --format json)");
            foreach (var run in runs)
            {
                var c = run.Counts;
                string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
                table.AddRow(
                    Markup.Escape(run.RunId),
                    run.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    run.Status.ToString().ToLowerInvariant(),
                    $"{run.Scopes.Count(s => s.Status == ScopeStatus.Ok)}/{run.Scopes.Count(s => s.Status == ScopeStatus.Error)}/{run.Scopes.Count(s => s.Status == ScopeStatus.Pending)}",
                    N(c?.Fail), N(c?.Error), N(c?.Suppressed), N(c?.Pass), N(c?.New), N(c?.Regressed), N(c?.Resolved),
                    run.Packs.Count.ToString(CultureInfo.InvariantCulture));
            }

            var console = Output.PlainConsoles.For(env.Out);
            console.MarkupLine(Markup.Escape($"Runs in {reportStore.DatabasePath} (tenant {runs[0].TenantId}{(runs.Any(r => r.TenantId != runs[0].TenantId) ? " and others" : string.Empty)}):"));
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
