using System.CommandLine;
using Compliance.Reporting.Sqlite;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance store migrate</c>: upgrade a store file written by an earlier version.</summary>
internal static class StoreCommand
{
    public static Command Create(CliEnvironment env)
    {
        var store = new Command("store", "Work with the report store file.");
        var path = new Option<string?>("--store") { Description = $"The report store to upgrade. Default: {CliOptions.DefaultStorePath}, under the current folder." };
        var migrate = new Command("migrate", "Upgrade a report store written by an earlier version of the tool to this version's schema (the old file is kept beside it as .v1.bak).") { path };
        migrate.SetAction(async (result, cancellationToken) =>
        {
            var file = result.GetValue(path) ?? CliOptions.DefaultStorePath;
            var migrated = await SqliteMigration.MigrateAsync(file, env.Time, cancellationToken);
            env.Out.WriteLine($"{file}: migrated {migrated.Runs} run(s), {migrated.Findings} finding(s), {migrated.States} finding state(s) and {migrated.Suppressions} suppression(s); the old file is {migrated.Backup}.");
            return ExitCodes.Success;
        });
        store.Add(migrate);
        return store;
    }
}
