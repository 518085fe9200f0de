using Compliance.Core.Rules;

namespace Compliance.Cli.Commands;

/// <summary>Loads the packs a command was pointed at, or the built-in ones.</summary>
internal static class RulePacks
{
    public static RulePackLoadResult Load(IReadOnlyList<string>? paths)
    {
        var effective = paths is { Count: > 0 } ? paths : [BundledPaths.RulesDirectory];
        return RulePackLoader.Load(RulePackFiles.Read(effective));
    }

    /// <summary>Prints every diagnostic to stderr; true when there were any.</summary>
    public static bool Report(RulePackLoadResult result, TextWriter error)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }

        if (result.HasErrors)
        {
            var files = result.Diagnostics.Select(d => d.Location.File).Distinct().Count();
            error.WriteLine($"{result.Diagnostics.Count} problem(s) in {files} rule pack file(s).");
        }

        return result.HasErrors;
    }
}
