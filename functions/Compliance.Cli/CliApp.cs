using System.CommandLine;
using Compliance.Azure.Collectors;
using Compliance.Cli.Commands;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Options;

namespace Compliance.Cli;

/// <summary>
/// The command tree and its single error boundary: bad input becomes a message naming the culprit
/// and exit code 2, never a stack trace.
/// </summary>
internal static class CliApp
{
    /// <summary>
    /// For a mistyped command or option, the closest one the command being parsed knows
    /// ("compliance scna" → scan, "scan --stor" → --store): subcommands for a word, options for a
    /// token that starts with '-'.
    /// </summary>
    private static List<string> DidYouMean(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var hints = new List<string>();
        foreach (var token in parsed.UnmatchedTokens)
        {
            var known = token.StartsWith('-')
                ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name));
            if (Suggestions.Closest(token.Split('=')[0], known) is { } best)
            {
                hints.Add($"Did you mean '{best}'? ('{token}' is not a {(token.StartsWith('-') ? "known option" : "known command")} of 'compliance{(command is RootCommand ? string.Empty : " " + CommandPath(parsed))}')");
            }
        }

        return hints;
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Compliance: a security posture and compliance scanner for Azure and Entra ID.")
        {
            ScanCommand.Create(env),
            RunsCommand.Create(env),
            FindingsCommand.Create(env),
            ExportCommand.Create(env),
            ReportCommand.Create(env),
            EvidenceCommand.Create(env),
            SuppressionsCommand.Create(env),
            CollectCommand.Create(env),
            RulesCommands.Create(env),
            StoreCommand.Create(env),
            PolicyCommands.Create(env),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                env.Error.WriteLine($"error: {error.Message}");
            }

            foreach (var hint in DidYouMean(parsed))
            {
                env.Error.WriteLine(hint);
            }

            env.Error.WriteLine("Run 'compliance --help' for usage.");
            return ExitCodes.BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (RuleValidationException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                env.Error.WriteLine(diagnostic.ToString());
            }

            if (ex.Diagnostics.Count == 0)
            {
                env.Error.WriteLine(ex.Message);
            }

            return ExitCodes.BadInput;
        }
        catch (Compliance.Policy.Definitions.PolicyInputException ex)
        {
            foreach (var problem in ex.Problems)
            {
                env.Error.WriteLine(problem.ToString());
            }

            env.Error.WriteLine(ex.Problems.Count == 0 ? $"error: {ex.Message}" : $"{ex.Problems.Count} problem(s) in the input; nothing was imported.");
            return ExitCodes.BadInput;
        }
        catch (SuppressionFileException ex)
        {
            foreach (var diagnostic in ex.Diagnostics)
            {
                env.Error.WriteLine(diagnostic.ToString());
            }

            if (ex.Diagnostics.Count == 0)
            {
                env.Error.WriteLine($"error: {ex.Message}");
            }
            else
            {
                env.Error.WriteLine($"{ex.Diagnostics.Count} problem(s) in the suppressions; nothing was scanned.");
            }

            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is ReportStoreException or EvidenceException or RunLookupException)
        {
            env.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is CollectorConfigurationException or OptionsValidationException)
        {
            // Live collection that cannot start (no credential, unknown cloud): say what to configure.
            env.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (SnapshotFormatException ex)
        {
            env.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is UsageException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            env.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (IOException ex)
        {
            env.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            env.Error.WriteLine("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            // A bug: say so plainly; the details are for a bug report, not for the user's screen.
            env.Error.WriteLine($"internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("COMPLIANCE_DEBUG") == "1")
            {
                env.Error.WriteLine(ex.ToString());
            }
            else
            {
                env.Error.WriteLine("Set COMPLIANCE_DEBUG=1 to see the details, and please report it.");
            }

            return ExitCodes.InternalError;
        }
    }
}
