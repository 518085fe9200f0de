using System.CommandLine;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance rules list [PATH]... [--format table|markdown]</c>: every rule with its severity and
/// controls, and per framework the controls the rules cover. The markdown form is rules/COVERAGE.md.
/// </summary>
internal static class RulesListCommand
{
    public static Command Create(CliEnvironment env, Argument<string[]> path)
    {
        var format = new Option<string>("--format")
        {
            Description = "table (aligned text, one rule per line) or markdown (the coverage document, as in rules/COVERAGE.md).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "markdown");

        var command = new Command("list", "List every rule with its severity and controls, and the controls each framework has covered.") { path, format };
        command.SetAction(result =>
        {
            var loaded = RulePacks.Load(result.GetValue(path));
            if (RulePacks.Report(loaded, env.Error))
            {
                return ExitCodes.BadInput;
            }

            var coverage = RuleCoverage.Of(loaded.Packs);
            env.Out.Write(result.GetValue(format) == "markdown"
                ? RuleCoverageMarkdown.Render(coverage)
                : RuleCoverageTable.Render(coverage));
            return ExitCodes.Success;
        });
        return command;
    }
}
