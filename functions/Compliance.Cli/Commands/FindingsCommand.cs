using System.CommandLine;
using System.Text.RegularExpressions;
using Compliance.Cli.Output;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Csv;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Spectre.Console;

namespace Compliance.Cli.Commands;

/// <summary>
/// <c>compliance findings</c>: the findings of a stored run, filtered by history status, severity,
/// outcome, category, rule, resource and subscription; as readable groups by rule, the finding JSON
/// or findings.csv rows.
/// </summary>
internal static class FindingsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var store = CliOptions.Store();
        var run = CliOptions.Run();
        var status = new Option<string[]>("--status") { Description = "Only findings with this history status: new, persisting, resolved, regressed (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var severity = new Option<string[]>("--severity") { Description = "Only findings of this severity: critical, high, medium, low, informational (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var outcome = new Option<string[]>("--outcome") { Description = "Only findings with this outcome: pass, fail, error, suppressed (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var category = new Option<string[]>("--category") { Description = "Only findings of this category: firewall, encryption, patching, access, monitoring, resilience, general, collection (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var rule = new Option<string[]>("--rule") { Description = "Only findings of this rule: an id, or a pattern with * and ? such as AZ-FW-* (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var resource = new Option<string?>("--resource") { Description = "Only findings whose resource id or name contains this text (any case)." };
        var subscription = new Option<string[]>("--subscription") { Description = "Only findings in this subscription: its id or its name (repeat, or separate with commas).", AllowMultipleArgumentsPerToken = true };
        var details = new Option<bool>("--details") { Description = "In the table, show under each finding its resource id, the engine's reason and every observed value." };
        var format = CliOptions.Format("table", "json", "csv");
        var command = new Command("findings", "Show the findings of a stored run (default: the latest), with their history status.")
        {
            store, run, status, severity, outcome, category, rule, resource, subscription, details, format,
        };
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
                Categories = CliOptions.SplitList(result.GetValue(category)).Select(s => EnumNames.TryParseCategory(s, out var parsed) ? parsed : throw Bad("--category", s, EnumNames.Names<RuleCategory>())).ToList(),
            };
            var rules = CliOptions.SplitList(result.GetValue(rule)).Select(RulePattern).ToList();
            var text = result.GetValue(resource);
            var target = await reading.RunAsync(result.GetValue(run), cancellationToken);
            query = query with { RunId = target.RunId };
            var subscriptions = CliOptions.SplitList(result.GetValue(subscription)).Select(s => SubscriptionOf(s, target)).ToHashSet(StringComparer.OrdinalIgnoreCase);

            bool Wanted(StoredFinding stored)
            {
                var f = stored.Finding;
                return (rules.Count == 0 || rules.Any(r => r.IsMatch(f.RuleId)))
                       && (text is null || f.ResourceId.Contains(text, StringComparison.OrdinalIgnoreCase) || f.ResourceName.Contains(text, StringComparison.OrdinalIgnoreCase))
                       && (subscriptions.Count == 0 || (f.SubscriptionId is { } id && subscriptions.Contains(id)));
            }

            var findings = reportStore.ReadFindingsAsync(query, cancellationToken).Where(Wanted);
            switch (result.GetValue(format))
            {
                case "json":
                {
                    using var json = new FindingsJsonWriter(env.Out);
                    await foreach (var stored in findings)
                    {
                        json.Write(stored);
                    }

                    json.Close();
                    return ExitCodes.Success;
                }

                case "csv":
                {
                    using var csv = FindingsCsvWriter.Open(env.Out);
                    await foreach (var stored in findings)
                    {
                        FindingsCsvWriter.WriteRow(csv, new FindingRow(target.RunId, target.StartedAt, target.TenantId, stored.Finding, stored.Status.ToWire()));
                    }

                    await csv.FlushAsync();
                    return ExitCodes.Success;
                }
            }

            var list = new List<StoredFinding>();
            await foreach (var stored in findings)
            {
                list.Add(stored);
            }

            var console = PlainConsoles.For(env.Out, env.Width);
            var width = console.Profile.Width;
            var heading = $"Run {target.RunId} of tenant {target.TenantId}, started {IsoTime.Minutes(target.StartedAt)} ({target.Status.ToWire()}"
                          + (target.PreviousRunId is { } previous ? $", compared with run {previous}" : ", the first run of the tenant") + $"): {list.Count} finding(s)";
            foreach (var line in ConsoleText.Wrap(heading, width, "  "))
            {
                console.WriteLine(line);
            }

            if (target.SuspectReason is { } suspect)
            {
                foreach (var line in ConsoleText.Wrap(target.ChangesAccepted ? $"Changes accepted (--accept-changes): {suspect}" : $"Suspect run, nothing resolved: {suspect}", width, "  "))
                {
                    console.WriteLine(line);
                }
            }

            if (list.Count == 0)
            {
                return ExitCodes.Success;
            }

            console.WriteLine();
            var names = target.Scopes.Where(s => s.DisplayName is not null).ToDictionary(s => s.Id, s => s.DisplayName!, StringComparer.OrdinalIgnoreCase);
            new FindingGroups(console, width, result.GetValue(details), id => names.GetValueOrDefault(ResourceIds.SubscriptionScopeId(id))).Render(list);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A rule id, or a pattern with * (any text) and ? (one character), matched in any case.</summary>
    private static Regex RulePattern(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>A subscription as given: its id (with or without /subscriptions/) or the name the run's scopes give it.</summary>
    private static string SubscriptionOf(string given, RunRecord run)
    {
        if (ResourceIds.SubscriptionOf(given) is { } id)
        {
            return id;
        }

        var named = run.Scopes.Where(s => string.Equals(s.DisplayName, given, StringComparison.OrdinalIgnoreCase)).Select(s => ResourceIds.SubscriptionOf(s.Id)).OfType<string>().ToList();
        return named.Count switch
        {
            1 => named[0],
            0 => given.Trim(),
            _ => throw new UsageException($"--subscription '{given}': {named.Count} subscriptions of the run have that name; give its id"),
        };
    }

    private static UsageException Bad(string option, string value, IEnumerable<string> allowed) =>
        new($"{option} '{value}': expected one of {string.Join(", ", allowed)}");
}
