using Compliance.Core.Rules;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Definitions;

/// <summary>
/// Reads policy definitions and initiatives from files, folders and in-memory documents (ARM
/// responses): a definition or initiative object (ARM shape with <c>properties</c>, or the flat shape
/// of <c>az policy … show</c>), an array of them or an ARM list (<c>{ "value": [ … ] }</c>), and the
/// built-in repository's <c>azurepolicy.rules.json</c> + <c>azurepolicy.parameters.json</c> pair. A
/// file that cannot be read as one of these is a problem with its file, line, column and path; in a
/// folder, JSON that is no definition is noted and passed over. Two copies of one definition id: the
/// one nearer the folder given is kept.
/// </summary>
public static class DefinitionReader
{
    private const string RulesFile = "azurepolicy.rules.json";
    private const string ParametersFile = "azurepolicy.parameters.json";
    private const string DefinitionPrefix = "/providers/Microsoft.Authorization/policyDefinitions/";
    private const string SetPrefix = "/providers/Microsoft.Authorization/policySetDefinitions/";

    public static DefinitionSet Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var set = new DefinitionSet();
        var problems = new List<RuleDiagnostic>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                    .OrderBy(f => Path.GetRelativePath(path, f).Count(c => c == Path.DirectorySeparatorChar))
                    .ThenBy(f => f, StringComparer.Ordinal);
                foreach (var file in files)
                {
                    ReadFile(file, inFolder: true, set, problems, seen);
                }
            }
            else if (File.Exists(path))
            {
                ReadFile(path, inFolder: false, set, problems, seen);
            }
            else
            {
                problems.Add(new RuleDiagnostic(new SourceLocation(path, 1, 1, "$"), "no such file or folder"));
            }
        }

        return problems.Count > 0 ? throw new PolicyInputException(problems) : set;
    }

    /// <summary>Documents that are not files (ARM responses): each is read as a file named <paramref name="documents"/>' Name.</summary>
    public static DefinitionSet ReadDocuments(IEnumerable<(string Name, byte[] Content)> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var set = new DefinitionSet();
        var problems = new List<RuleDiagnostic>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, content) in documents)
        {
            ReadContent(name, content, null, inFolder: false, set, problems, seen);
        }

        return problems.Count > 0 ? throw new PolicyInputException(problems) : set;
    }

    private static void ReadFile(string file, bool inFolder, DefinitionSet set, List<RuleDiagnostic> problems, Dictionary<string, string> seen)
    {
        var name = Path.GetFileName(file);
        if (name.Equals(ParametersFile, StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(Path.GetDirectoryName(file)!, RulesFile)))
        {
            return; // read with its rules file
        }

        ReadContent(file, File.ReadAllBytes(file), Path.GetDirectoryName(file), inFolder, set, problems, seen);
    }

    private static void ReadContent(string file, byte[] content, string? folder, bool inFolder, DefinitionSet set, List<RuleDiagnostic> problems, Dictionary<string, string> seen)
    {
        var fileProblems = new List<RuleDiagnostic>();
        var root = JsonFile.Read(content, file, "the definition's", (location, message) => fileProblems.Add(new RuleDiagnostic(location, message)));
        if (root is null)
        {
            problems.AddRange(fileProblems);
            return;
        }

        var items = root switch
        {
            JArray array => array.Children().ToList(),
            JObject obj when Json.Get(obj, "value") is JArray list && Json.Get(obj, "policyRule") is null && Json.Get(obj, "properties") is null => list.Children().ToList(),
            _ => [root],
        };

        foreach (var item in items)
        {
            if (item is not JObject obj)
            {
                problems.Add(new RuleDiagnostic(Json.At(file, item), $"expected a policy definition or initiative object, not {JsonLocations.KindOf(item)}"));
                continue;
            }

            var body = Json.Object(obj, "properties") ?? obj;
            if (Json.Get(body, "policyDefinitions") is not null)
            {
                if (ReadInitiative(file, obj, body, problems) is { } initiative && Keep(initiative.Id, file, item, set, seen))
                {
                    set.Initiatives.Add(initiative);
                }
            }
            else if (Json.Get(body, "policyRule") is not null)
            {
                if (ReadDefinition(file, obj, body, null, folder, problems) is { } definition && Keep(definition.Id, file, item, set, seen))
                {
                    set.Definitions.Add(definition);
                }
            }
            else if (Json.Get(obj, "if") is not null && Json.Get(obj, "then") is not null)
            {
                if (ReadRulesFile(file, obj, folder, problems) is { } definition && Keep(definition.Id, file, item, set, seen))
                {
                    set.Definitions.Add(definition);
                }
            }
            else if (inFolder)
            {
                set.Notes.Add(new RuleDiagnostic(Json.At(file, item), "passed over: not a policy definition or initiative (it has no policyRule or policyDefinitions)"));
            }
            else
            {
                problems.Add(new RuleDiagnostic(Json.At(file, item), "not a policy definition or initiative: expected an object with policyRule (or properties.policyRule), policyDefinitions, or the if/then of azurepolicy.rules.json"));
            }
        }
    }

    private static bool Keep(string id, string file, JToken token, DefinitionSet set, Dictionary<string, string> seen)
    {
        if (seen.TryGetValue(id, out var first))
        {
            set.Notes.Add(new RuleDiagnostic(Json.At(file, token), $"passed over: {id} is already read from {first}"));
            return false;
        }

        seen[id] = file;
        return true;
    }

    private static PolicyDefinition? ReadDefinition(string file, JObject obj, JObject body, JObject? parameters, string? folder, List<RuleDiagnostic> problems)
    {
        var rule = Json.Get(body, "policyRule");
        if (rule is not JObject policyRule)
        {
            problems.Add(new RuleDiagnostic(Json.At(file, rule), $"policyRule must be an object {{ \"if\": …, \"then\": … }}, not {JsonLocations.KindOf(rule!)}"));
            return null;
        }

        var name = Json.Text(obj, "name") ?? Json.Text(body, "name") ?? NameOf(Json.Text(obj, "id")) ?? FolderName(folder) ?? Path.GetFileNameWithoutExtension(file);
        var id = Json.Text(obj, "id") ?? DefinitionPrefix + name;
        var metadata = Json.Object(body, "metadata");
        var displayName = Json.Text(body, "displayName") ?? name;
        return new PolicyDefinition
        {
            Id = id,
            Name = name,
            DisplayName = displayName,
            Description = Json.Text(body, "description"),
            Mode = Json.Text(body, "mode"),
            PolicyType = Json.Text(body, "policyType"),
            Version = Json.Text(body, "version") ?? Json.Text(metadata, "version"),
            Category = Json.Text(metadata, "category"),
            Deprecated = Json.Get(metadata, "deprecated") is { Type: JTokenType.Boolean } deprecated && (bool)deprecated! || displayName.StartsWith("[Deprecated]", StringComparison.OrdinalIgnoreCase),
            Parameters = parameters ?? Json.Object(body, "parameters"),
            PolicyRule = policyRule,
            File = file,
            Token = obj,
        };
    }

    /// <summary>azurepolicy.rules.json (the policyRule alone) with azurepolicy.parameters.json beside it; the folder names the definition.</summary>
    private static PolicyDefinition? ReadRulesFile(string file, JObject rule, string? folder, List<RuleDiagnostic> problems)
    {
        JObject? parameters = null;
        if (folder is not null && File.Exists(Path.Combine(folder, ParametersFile)))
        {
            var parametersFile = Path.Combine(folder, ParametersFile);
            var token = JsonFile.Read(File.ReadAllBytes(parametersFile), parametersFile, "the parameters'", (location, message) => problems.Add(new RuleDiagnostic(location, message)));
            if (token is not null and not JObject)
            {
                problems.Add(new RuleDiagnostic(Json.At(parametersFile, token), "azurepolicy.parameters.json must be an object of parameter declarations"));
            }

            parameters = token as JObject;
        }

        var wrapper = new JObject();
        return ReadDefinition(file, wrapper, new JObject { ["policyRule"] = rule }, parameters, folder, problems) is { } definition
            ? new PolicyDefinition
            {
                Id = definition.Id,
                Name = definition.Name,
                DisplayName = definition.Name,
                Mode = null,
                Parameters = parameters,
                PolicyRule = rule,
                File = file,
                Token = rule,
            }
            : null;
    }

    private static PolicySetDefinition? ReadInitiative(string file, JObject obj, JObject body, List<RuleDiagnostic> problems)
    {
        if (Json.Get(body, "policyDefinitions") is not JArray members)
        {
            problems.Add(new RuleDiagnostic(Json.At(file, Json.Get(body, "policyDefinitions")), "policyDefinitions must be an array of { policyDefinitionId, parameters, groupNames }"));
            return null;
        }

        var references = new List<PolicyReference>();
        var index = 0;
        foreach (var member in members)
        {
            index++;
            if (member is not JObject reference || Json.Text(reference, "policyDefinitionId") is not { } definitionId)
            {
                problems.Add(new RuleDiagnostic(Json.At(file, member), "an initiative member needs policyDefinitionId"));
                continue;
            }

            var groups = Json.Get(reference, "groupNames") is JArray names ? names.Where(n => n.Type == JTokenType.String).Select(n => (string)n!).ToList() : [];
            references.Add(new PolicyReference(
                definitionId,
                Json.Text(reference, "policyDefinitionReferenceId") ?? $"{NameOf(definitionId)}-{index}",
                Json.Object(reference, "parameters"),
                groups,
                reference));
        }

        var name = Json.Text(obj, "name") ?? NameOf(Json.Text(obj, "id")) ?? Path.GetFileNameWithoutExtension(file);
        var metadata = Json.Object(body, "metadata");
        return new PolicySetDefinition
        {
            Id = Json.Text(obj, "id") ?? SetPrefix + name,
            Name = name,
            DisplayName = Json.Text(body, "displayName") ?? name,
            Description = Json.Text(body, "description"),
            Version = Json.Text(body, "version") ?? Json.Text(metadata, "version"),
            Parameters = Json.Object(body, "parameters"),
            References = references,
            File = file,
            Token = obj,
        };
    }

    private static string? NameOf(string? id) => id is null ? null : id.TrimEnd('/')[(id.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static string? FolderName(string? folder) => folder is null ? null : Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
}
