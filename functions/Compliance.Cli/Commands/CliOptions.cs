using System.CommandLine;
using Compliance.Core.Findings;

namespace Compliance.Cli.Commands;

/// <summary>Options shared by several commands, with the same names and meaning everywhere.</summary>
internal static class CliOptions
{
    public static Option<string[]> Rules() => new("--rules")
    {
        Description = "A rule pack file or a folder of packs; repeat for several. Default: the built-in packs.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Parameters() => new("--param")
    {
        Description = "Override a pack parameter: name=value or packId.name=value (repeatable), e.g. --param maxSubscriptionOwners=5.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string?> FailOn()
    {
        var option = new Option<string?>("--fail-on")
        {
            Description = "Exit with code 1 when a failing (or error) finding is at or above this severity.",
        };
        option.AcceptOnlyFromAmong(EnumNames.Names<Severity>().ToArray());
        return option;
    }

    /// <summary>The report store every command that reads runs takes, with the same default. Read commands open it read-only.</summary>
    public static Option<string?> Store() => new("--store")
    {
        Description = $"The report store (a SQLite file; only read by this command). Default: {DefaultStorePath}, under the current folder.",
    };

    public static string DefaultStorePath => Path.Combine(".compliance", "compliance.db");

    public static Option<string> Run() => new("--run")
    {
        Description = "Which run: 'latest' (the last finalised run, by finish time) or a run id from 'compliance runs'.",
        DefaultValueFactory = _ => "latest",
    };

    public static Option<string?> SigningKeyFile() => new("--signing-key-file")
    {
        Description = "A file holding the evidence-signing key (HMAC-SHA256). Default: the COMPLIANCE_SIGNING_KEY environment variable, when set.",
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format") { Description = $"Output format: {string.Join(" or ", formats)}.", DefaultValueFactory = _ => formats[0] };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>Values given repeatedly or comma-separated ("--status new,regressed --status resolved").</summary>
    public static IEnumerable<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Parses --param name=value pairs.</summary>
    public static Dictionary<string, string> ParseParameters(string[]? values)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in values ?? [])
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--param '{item}': expected name=value, e.g. --param maxSubscriptionOwners=5");
            }

            result[item[..eq].Trim()] = item[(eq + 1)..];
        }

        return result;
    }
}
