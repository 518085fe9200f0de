using System.Diagnostics;
using System.Text.Json;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Compliance.Policy.Import;
using Newtonsoft.Json.Linq;

// Measures the Azure Policy import over the public built-in set (repository Azure/azure-policy,
// folder built-in-policies/), which is not part of this repository:
//
//   dotnet run -c Release --project tests/Compliance.Policy.Measurement -- <built-in-policies folder> [--list] [--dump NAME]
//
// --list names every definition that did not convert (and why); --dump prints the rule one
// definition (by name or file name) becomes.
//
// A definition is meaningful here when it is not deprecated, not a Microsoft-managed regulatory
// placeholder (policyType Static or category Regulatory Compliance), not of a data-plane mode (only
// All and Indexed), and its effect (its default, or one its effect parameter allows) is audit, deny
// or auditIfNotExists — a DeployIfNotExists default that allows AuditIfNotExists counts as
// auditIfNotExists. Each is imported twice: with the definitions' own defaults only, and with a value
// for every parameter that has no default (generated from its declaration: its first allowed value, or
// a value of its type), as a policy assignment gives them. Then the NIST SP 800-53 Rev. 5 initiative is
// imported with its members.
if (args.Length < 1 || !Directory.Exists(Path.Combine(args[0], "policyDefinitions")))
{
    Console.Error.WriteLine("usage: Compliance.Policy.Measurement <built-in-policies folder of Azure/azure-policy> [--list]");
    return 2;
}

var root = args[0];
var list = args.Contains("--list");
var clock = Stopwatch.StartNew();
var all = DefinitionReader.Read([Path.Combine(root, "policyDefinitions")]);
var readTime = clock.Elapsed;
var meaningful = all.Definitions.Where(Meaningful).ToList();
Console.WriteLine($"Built-in definitions: {all.Definitions.Count} unique ({all.Notes.Count} duplicate files passed over), read in {readTime.TotalSeconds:F1} s");
Console.WriteLine($"Meaningful: {meaningful.Count} (audit/deny {meaningful.Count(d => Effect(d).Kind == "audit/deny")}, auditIfNotExists {meaningful.Count(d => Effect(d).Kind == "auditIfNotExists")})");

var set = new DefinitionSet();
set.Definitions.AddRange(meaningful);

clock.Restart();
var defaultsOnly = PolicyImporter.Import(set, new ImportOptions());
var defaultsTime = clock.Elapsed;
Report("With the definitions' defaults only", defaultsOnly, meaningful.Count, defaultsTime, list: false);

var values = GeneratedValues(meaningful);
clock.Restart();
var withValues = PolicyImporter.Import(set, new ImportOptions { Parameters = values });
var valuesTime = clock.Elapsed;
Report($"With values for the {values.Count} parameter names that lack a default", withValues, meaningful.Count, valuesTime, list);

if (args.SkipWhile(a => a != "--dump").Skip(1).FirstOrDefault() is { } dump)
{
    foreach (var result in withValues.Results.Where(r => r.Definition.Name.Equals(dump, StringComparison.OrdinalIgnoreCase) || r.Definition.File.EndsWith(dump, StringComparison.OrdinalIgnoreCase)))
    {
        Console.WriteLine(result.Rule?.ToString() ?? string.Join(Environment.NewLine, result.Problems));
    }
}

var nistPath = Path.Combine(root, "policySetDefinitions", "Regulatory Compliance", "NIST_SP_800-53_R5.json");
if (File.Exists(nistPath))
{
    var nistInputs = DefinitionReader.Read([Path.Combine(root, "policyDefinitions"), nistPath]);
    clock.Restart();
    var nist = PolicyImporter.Import(nistInputs, new ImportOptions());
    var nistTime = clock.Elapsed;
    var references = nistInputs.Initiatives.Sum(i => i.References.Count);
    Console.WriteLine();
    Console.WriteLine($"NIST SP 800-53 Rev. 5 initiative ({references} member references, {nist.Results.Count} distinct rules or members), imported in {nistTime.TotalSeconds:F1} s:");
    Console.WriteLine($"  converted {nist.Converted.Count()} (audit/deny {nist.Converted.Count(c => c.Effect is "audit" or "deny")}, auditIfNotExists {nist.Converted.Count(c => c.Effect == "auditIfNotExists")}), skipped {nist.Skipped.Count()}, not converted {nist.Unsupported.Count()}");
    foreach (var group in nist.Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"    skipped, {group.Key}: {group.Count()}");
    }

    foreach (var group in nist.Unsupported.GroupBy(u => ImportSummary.Construct(u.Reason ?? string.Empty)).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"    not converted, {group.Key}: {group.Count()}");
    }

    var controls = nist.Pack["rules"]!.SelectMany(r => r["controls"]?["NIST-800-53-r5"]?.Select(c => (string)c!) ?? []).Distinct(StringComparer.Ordinal).Count();
    Console.WriteLine($"  NIST-800-53-r5 controls mapped by the converted rules: {controls}");
}

return 0;

static void Report(string title, ImportResult result, int meaningful, TimeSpan elapsed, bool list)
{
    var converted = result.Converted.ToList();
    Console.WriteLine();
    Console.WriteLine($"{title} (imported in {elapsed.TotalSeconds:F1} s):");
    Console.WriteLine($"  converted {converted.Count} of {meaningful} ({100.0 * converted.Count / meaningful:F1}%): audit/deny {converted.Count(c => c.Effect is "audit" or "deny")}, auditIfNotExists {converted.Count(c => c.Effect == "auditIfNotExists")} ({converted.Count(c => c.FromDeployIfNotExists)} from a DeployIfNotExists default)");
    Console.WriteLine($"  skipped {result.Skipped.Count()}");
    foreach (var group in result.Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"    {group.Key}: {group.Count()}");
        if (list)
        {
            foreach (var item in group)
            {
                Console.WriteLine($"      {item.Definition.File}: {item.Definition.DisplayName}");
            }
        }
    }

    Console.WriteLine($"  not converted {result.Unsupported.Count()}");
    foreach (var group in result.Unsupported.GroupBy(u => ImportSummary.Construct(u.Reason ?? string.Empty)).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"    {group.Key}: {group.Count()}");
        if (list)
        {
            foreach (var item in group)
            {
                Console.WriteLine($"      {item.Problems.FirstOrDefault()}");
            }
        }
    }
}

static bool Meaningful(PolicyDefinition definition) =>
    !definition.Deprecated &&
    !string.Equals(definition.PolicyType, "Static", StringComparison.OrdinalIgnoreCase) &&
    !string.Equals(definition.Category, "Regulatory Compliance", StringComparison.OrdinalIgnoreCase) &&
    (definition.Mode is null || definition.Mode.Equals("All", StringComparison.OrdinalIgnoreCase) || definition.Mode.Equals("Indexed", StringComparison.OrdinalIgnoreCase)) &&
    Effect(definition).Kind is not null;

static (string? Kind, string? Default) Effect(PolicyDefinition definition)
{
    var effect = definition.PolicyRule["then"]?["effect"]?.ToString() ?? string.Empty;
    List<string> allowed;
    string? chosen;
    if (effect.StartsWith('['))
    {
        var name = effect.Split('\'').ElementAtOrDefault(1) ?? string.Empty;
        var declared = definition.Parameters?.Properties().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value as JObject;
        allowed = declared?["allowedValues"]?.Select(a => a.ToString().ToLowerInvariant()).ToList() ?? [];
        chosen = declared?["defaultValue"]?.ToString().ToLowerInvariant();
    }
    else
    {
        chosen = effect.ToLowerInvariant();
        allowed = [chosen];
    }

    string? kind = chosen switch
    {
        "audit" or "deny" => "audit/deny",
        "auditifnotexists" => "auditIfNotExists",
        "deployifnotexists" when allowed.Contains("auditifnotexists") => "auditIfNotExists",
        _ when allowed.Contains("audit") || allowed.Contains("deny") => "audit/deny",
        _ when allowed.Contains("auditifnotexists") => "auditIfNotExists",
        _ => null,
    };
    return (kind, chosen);
}

// A value for every parameter name that some meaningful definition declares without a default: its
// first allowed value, else a value of its declared type.
static Dictionary<string, SuppliedValue> GeneratedValues(IEnumerable<PolicyDefinition> definitions)
{
    var values = new Dictionary<string, SuppliedValue>(StringComparer.OrdinalIgnoreCase);
    foreach (var definition in definitions)
    {
        foreach (var property in definition.Parameters?.Properties() ?? [])
        {
            if (property.Value is not JObject declared || declared["defaultValue"] is not null || values.ContainsKey(property.Name))
            {
                continue;
            }

            var type = declared["type"]?.ToString().ToLowerInvariant() ?? "string";
            var first = declared["allowedValues"] is JArray { Count: > 0 } allowed ? allowed[0].ToString(Newtonsoft.Json.Formatting.None) : null;
            JsonElement value = first is not null
                ? JsonDocument.Parse(type == "array" ? $"[{first}]" : first).RootElement.Clone()
                : type switch
                {
                    "array" => JsonSerializer.SerializeToElement(property.Name.Contains("location", StringComparison.OrdinalIgnoreCase) ? ["westeurope"] : Array.Empty<string>()),
                    "object" => JsonSerializer.SerializeToElement(new Dictionary<string, string>()),
                    "integer" => JsonSerializer.SerializeToElement(1),
                    "boolean" => JsonSerializer.SerializeToElement(false),
                    _ when property.Name.Contains("location", StringComparison.OrdinalIgnoreCase) => JsonSerializer.SerializeToElement("westeurope"),
                    _ when property.Name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("workspace", StringComparison.OrdinalIgnoreCase) || property.Name is "logAnalytics" or "storageAccount" =>
                        JsonSerializer.SerializeToElement($"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/measurement/providers/Measurement/values/{property.Name}"),
                    _ => JsonSerializer.SerializeToElement($"measurement-{property.Name}"),
                };
            values[property.Name] = new SuppliedValue(value, null, "the measurement");
        }
    }

    return values;
}
