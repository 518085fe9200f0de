using System.CommandLine;
using Compliance.Core.Testing;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance rules validate|test|list</c>: for rule authors.</summary>
internal static class RulesCommands
{
    public static Command Create(CliEnvironment env)
    {
        var rules = new Command("rules", "Work with rule packs: validate them, run their tests, list their coverage.");
        rules.Add(Validate(env));
        rules.Add(Test(env));
        rules.Add(RulesListCommand.Create(env, PathArgument()));
        return rules;
    }

    private static Argument<string[]> PathArgument() => new("path")
    {
        Description = "Rule pack files or folders. Default: the built-in packs.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static Command Validate(CliEnvironment env)
    {
        var path = PathArgument();
        var command = new Command("validate", "Check rule packs against the schema and the rule language; report every problem with file, line, column and JSON path.") { path };
        command.SetAction(result =>
        {
            var loaded = RulePacks.Load(result.GetValue(path));
            if (RulePacks.Report(loaded, env.Error))
            {
                return ExitCodes.BadInput;
            }

            foreach (var pack in loaded.Packs)
            {
                env.Out.WriteLine($"ok  {pack.SourcePath}: pack {pack.Id} {pack.Version}, {pack.Rules.Count} rules");
            }

            env.Out.WriteLine($"{loaded.Packs.Count} pack(s), {loaded.Packs.Sum(p => p.Rules.Count)} rules: valid.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Test(CliEnvironment env)
    {
        var path = PathArgument();
        var command = new Command("test", "Run every rule's fixtures (its passing and failing examples) through the engine.") { path };
        command.SetAction(async (result, cancellationToken) =>
        {
            var loaded = RulePacks.Load(result.GetValue(path));
            if (RulePacks.Report(loaded, env.Error))
            {
                return ExitCodes.BadInput;
            }

            var report = await new RuleTestRunner(env.Time).RunAsync(loaded.Packs, cancellationToken);
            foreach (var failure in report.Results.Where(r => !r.Passed))
            {
                env.Out.WriteLine($"FAIL {failure.RuleId} \"{failure.TestName}\" ({failure.Location.File}:{failure.Location.Line}): {failure.Message}");
            }

            var rulesCount = loaded.Packs.Sum(p => p.Rules.Count);
            env.Out.WriteLine($"{report.Passed} passed, {report.Failed} failed ({rulesCount} rules in {loaded.Packs.Count} packs).");
            return report.Failed == 0 ? ExitCodes.Success : ExitCodes.Findings;
        });
        return command;
    }
}
