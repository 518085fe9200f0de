using System.CommandLine;
using Compliance.Reporting.Suppressions;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance suppressions validate [PATH]</c>: check a suppressions file before a scan uses it.</summary>
internal static class SuppressionsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var suppressions = new Command("suppressions", "Work with suppressions (accepted exceptions with an expiry).");
        var path = new Argument<string?>("path") { Description = $"The suppressions file. Default: {ScanCommand.DefaultSuppressionsFile}.", Arity = ArgumentArity.ZeroOrOne };
        var maxDays = new Option<int?>("--suppression-max-days") { Description = "The furthest an expiry may lie from now, in days. Default: 365." };
        var validate = new Command("validate", "Check a suppressions file against its schema and rules; list each entry as active or expired.") { path, maxDays };
        validate.SetAction(result =>
        {
            var options = new SuppressionOptions();
            if (result.GetValue(maxDays) is { } days)
            {
                options.MaxLifetime = days > 0 ? TimeSpan.FromDays(days) : throw new UsageException("--suppression-max-days must be a positive number of days");
            }

            var file = result.GetValue(path) ?? ScanCommand.DefaultSuppressionsFile;
            var now = env.Time.GetUtcNow();
            var loaded = SuppressionFile.Load(file, now, options);
            foreach (var suppression in loaded.OrderBy(s => s.ExpiresOn))
            {
                var state = suppression.IsExpired(now) ? "EXPIRED" : "active ";
                env.Out.WriteLine($"{state} {suppression.Source}: {suppression.Describe()} until {Core.Findings.IsoTime.Minutes(suppression.ExpiresOn)} (owner {suppression.Owner})");
            }

            env.Out.WriteLine($"{file}: {loaded.Count} suppression(s), {loaded.Count(s => s.IsExpired(now))} expired: valid.");
            return ExitCodes.Success;
        });
        suppressions.Add(validate);
        return suppressions;
    }
}
