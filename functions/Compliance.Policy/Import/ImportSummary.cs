
namespace Compliance.Policy.Import;

/// <summary>
/// The summary of an import a person reads: how many definitions became rules (audit/deny,
/// auditIfNotExists, of which from a DeployIfNotExists default), every skipped one with its reason,
/// every one that did not convert with each construct's file, line, column and JSON path.
/// </summary>
public static class ImportSummary
{
    public static void Write(ImportResult result, string packPath, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var converted = result.Converted.ToList();
        var skipped = result.Skipped.ToList();
        var unsupported = result.Unsupported.ToList();
        var total = result.Results.Count;
        var packId = (string)result.Pack["id"]!;
        var version = (string)result.Pack["version"]!;

        output.WriteLine($"Imported {converted.Count} of {total} definition(s) into {packPath} (pack {packId} {version}):");
        output.WriteLine($"  audit/deny: {converted.Count(c => c.Effect is "audit" or "deny")}, auditIfNotExists: {converted.Count(c => c.Effect == "auditIfNotExists")} ({converted.Count(c => c.FromDeployIfNotExists)} of them from a DeployIfNotExists default, imported as its existence check)");
        var controls = result.Pack["rules"]!.SelectMany(r => r["controls"] is Newtonsoft.Json.Linq.JObject c ? c.Properties().SelectMany(p => p.Value.Select(v => $"{p.Name}:{v}")) : []).Distinct(StringComparer.Ordinal).Count();
        if (controls > 0)
        {
            output.WriteLine($"  controls mapped: {controls}");
        }

        output.WriteLine($"Skipped {skipped.Count}:");
        foreach (var group in skipped.GroupBy(s => s.Reason ?? "other").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {group.Key}: {group.Count()}");
            foreach (var item in group.OrderBy(i => i.Definition.DisplayName, StringComparer.Ordinal))
            {
                output.WriteLine($"    {item.Definition.DisplayName} ({item.Definition.Name})");
            }
        }

        output.WriteLine($"Not converted {unsupported.Count}:");
        foreach (var item in unsupported.OrderBy(i => i.Definition.DisplayName, StringComparer.Ordinal))
        {
            output.WriteLine($"  {item.Definition.DisplayName} ({item.Definition.Name}):");
            foreach (var problem in item.Problems)
            {
                output.WriteLine($"    {problem}");
            }
        }

        const int NotesShown = 3;
        foreach (var note in result.Notes.Take(NotesShown))
        {
            output.WriteLine($"note: {note}");
        }

        if (result.Notes.Count > NotesShown)
        {
            output.WriteLine($"note: and {result.Notes.Count - NotesShown} more file(s) passed over (a second copy of a definition already read, or JSON that is no definition)");
        }
    }

    /// <summary>The construct a problem is about, for counting: "unknown alias", "parameter without a value", …</summary>
    public static string Construct(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            _ when message.StartsWith("unknown alias", StringComparison.Ordinal) => "unknown alias",
            _ when message.Contains("has no default value and none was given", StringComparison.Ordinal) => "parameter without a value",
            _ when message.Contains("is not an allowed value of parameter", StringComparison.Ordinal) => "value outside allowedValues",
            _ when message.StartsWith("unsupported function", StringComparison.Ordinal) => $"function {message.Split('\'')[1]}",
            _ when message.StartsWith("policy()", StringComparison.Ordinal) => "policy() of an assignment",
            _ when message.Contains("applies to every resource type", StringComparison.Ordinal) => "no resource type",
            _ when message.Contains("'fullName'", StringComparison.Ordinal) => "field fullName",
            _ when message.Contains("has no property", StringComparison.Ordinal) => "context property",
            _ when message.Contains("is not among the inputs", StringComparison.Ordinal) => "member not among the inputs",
            _ when message.Contains("alias '", StringComparison.Ordinal) && message.Contains("different path", StringComparison.Ordinal) => "alias with a path per type",
            _ when message.Contains("cannot be computed", StringComparison.Ordinal) => "function that cannot be computed",
            _ when message.Contains("must be known when the definition is imported", StringComparison.Ordinal) => "field name read from the resource",
            _ => "other: " + (message.Length > 80 ? message[..80] + "…" : message),
        };
    }
}
