using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Conditions;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Policy.Aliases;
using Compliance.Policy.Definitions;
using Compliance.Policy.Mapping;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Conversion;

/// <summary>What one definition becomes.</summary>
public enum ConversionStatus
{
    /// <summary>A rule.</summary>
    Converted,

    /// <summary>Left out on purpose: its effect does not audit (modify, deployIfNotExists only, disabled), a data-plane mode, a Microsoft-managed placeholder.</summary>
    Skipped,

    /// <summary>Could not be converted: each construct with its location says why.</summary>
    Unsupported,
}

/// <summary>One definition's conversion.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="Status">Converted, skipped or unsupported.</param>
/// <param name="Rule">The rule (a JSON object of the rule language), when converted.</param>
/// <param name="Effect">audit, deny or auditIfNotExists, when converted.</param>
/// <param name="Reason">Why it was skipped ("effect Modify"), or the first problem.</param>
/// <param name="Problems">Every construct that stopped the conversion, with file, line, column and JSON path.</param>
/// <param name="FromDeployIfNotExists">Whether a DeployIfNotExists default was imported as its existence check.</param>
public sealed record ConversionResult(PolicyDefinition Definition, ConversionStatus Status, JObject? Rule, string? Effect, string? Reason, IReadOnlyList<RuleDiagnostic> Problems, bool FromDeployIfNotExists = false);

/// <summary>What the converter needs besides the definition.</summary>
internal sealed record ConversionRequest(
    PolicyDefinition Definition,
    string RuleId,
    IReadOnlyDictionary<string, SuppliedValue> Values,
    JsonElement? Policy,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Controls,
    IReadOnlyList<string> Initiatives,
    Severity Severity);

/// <summary>
/// One Azure Policy definition → one rule, with Azure Policy's semantics
/// (https://learn.microsoft.com/azure/governance/policy/concepts/effect-basics):
/// <list type="bullet">
/// <item>audit and deny: the type, name and kind conditions of <c>if</c> decide applicability (the
/// rule's resourceTypes and where); the resource fails exactly when the whole <c>if</c> is true, so
/// the rule's condition is <c>not(if)</c>.</item>
/// <item>auditIfNotExists (and a DeployIfNotExists default that allows AuditIfNotExists — the
/// existence check is the same): the whole <c>if</c> is applicability; the resource passes when at
/// least one related resource of details.type — named details.name, when given, matched against its
/// id's last segment — satisfies existenceCondition, in which <c>field</c> reads the related
/// resource and <c>[field()]</c> the evaluated one. A child or extension type is looked for under the
/// resource; otherwise in its resource group (existenceScope ResourceGroup, the default, or
/// resourceGroupName) or subscription.</item>
/// <item>An effect given by a parameter takes the parameter's value; Disabled, Modify, Append,
/// DeployIfNotExists without AuditIfNotExists, data-plane modes and Microsoft-managed placeholders are
/// skipped with the reason.</item>
/// </list>
/// The rule is compiled by the engine before it is kept: whatever the engine cannot evaluate is
/// reported at the definition's own line and path.
/// </summary>
internal static partial class DefinitionConverter
{
    public static ConversionResult Convert(ConversionRequest request, AliasCatalog catalog)
    {
        var definition = request.Definition;
        if (Skip(definition) is { } skipped)
        {
            return skipped;
        }

        var resolver = new ParameterResolver(definition, request.Values);
        var translator = new ConditionTranslator(definition, catalog, resolver.Get, request.Policy);
        var rule = definition.PolicyRule;
        var then = Json.Object(rule, "then");
        var condition = Json.Get(rule, "if");
        if (then is null || condition is null)
        {
            return Unsupported(definition, [new RuleDiagnostic(Json.At(definition.File, rule), "a policyRule has 'if' (a condition) and 'then' (the effect): one is missing")]);
        }

        // The effect first: a definition that does not audit is skipped whatever its condition says.
        var effectToken = Json.Get(then, "effect");
        if (effectToken is null)
        {
            return Unsupported(definition, [new RuleDiagnostic(Json.At(definition.File, then), "then.effect is missing")]);
        }

        var effectValue = translator.Value(effectToken, new TranslationScope(null));
        if (translator.Problems.Count > 0 || effectValue.Type != JTokenType.String)
        {
            return Unsupported(definition, translator.Problems.Count > 0 ? translator.Problems : [new RuleDiagnostic(Json.At(definition.File, effectToken), $"the effect must be a string, not {effectValue}")]);
        }

        var effect = (string)effectValue!;
        var fromDeploy = false;
        string kind;
        switch (effect.ToLowerInvariant())
        {
            case "audit":
                kind = "audit";
                break;
            case "deny":
                kind = "deny";
                break;
            case "auditifnotexists":
                kind = "auditIfNotExists";
                break;
            case "deployifnotexists" when AllowsAuditIfNotExists(definition, effectToken):
                kind = "auditIfNotExists";
                fromDeploy = true;
                break;
            case "deployifnotexists":
                return Skipped(definition, "effect DeployIfNotExists only", "it deploys a resource and does not allow AuditIfNotExists, so it has no audit to import");
            case "disabled":
                return Skipped(definition, "effect Disabled", "its effect is Disabled: Azure does not evaluate it (give --param with another allowed effect to import it)");
            case "modify":
                return Skipped(definition, "effect Modify", "it changes resources (Modify) instead of auditing them");
            case "append":
                return Skipped(definition, "effect Append", "it adds properties to requests (Append) instead of auditing resources");
            case "manual":
                return Skipped(definition, "Microsoft-managed placeholder", "its effect is Manual: compliance is attested by hand, there is nothing to evaluate");
            case "denyaction":
                return Skipped(definition, "effect DenyAction", "it blocks delete requests (DenyAction): there is no resource state to audit");
            default:
                return Skipped(definition, $"effect {effect}", $"its effect '{effect}' is not audit, deny or auditIfNotExists");
        }

        // A first pass finds the types the if can apply to; aliases are then read for those types.
        var lenient = new ConditionTranslator(definition, catalog, resolver.Get, request.Policy);
        JToken? firstPass;
        try
        {
            firstPass = lenient.Condition(condition, new TranslationScope(null));
        }
        catch (AmbiguousAliasException)
        {
            firstPass = null;
        }

        var types = firstPass is null ? null : Applicability.Types(firstPass, catalog.Types);
        var translated = TranslateIf(translator, condition, types);
        if (translator.Problems.Count > 0 || translated is null)
        {
            return Unsupported(definition, translator.Problems);
        }

        types = Applicability.Types(translated, catalog.Types);
        if (types is null)
        {
            return Unsupported(definition, [new RuleDiagnostic(Json.At(definition.File, condition), "the if names no resource type (no field 'type' condition limits it), so it applies to every resource type; an imported rule must name its resource types")]);
        }

        if (types.Count == 0)
        {
            return Skipped(definition, "never applies", "no resource type matches its type conditions (they exclude one another, or name no type the alias catalog knows)");
        }

        var resourceTypes = types.Select(t => catalog.SpellingOf(t) ?? t).Order(StringComparer.OrdinalIgnoreCase).ToList();
        translated = WithoutTypeChecks(translated, types);
        JToken? where;
        JToken ruleCondition;
        if (kind == "auditIfNotExists")
        {
            where = translated;
            var details = Json.Object(then, "details");
            if (details is null)
            {
                return Unsupported(definition, [new RuleDiagnostic(Json.At(definition.File, then), "an auditIfNotExists effect needs then.details with the related resource's type")]);
            }

            var existence = Existence(translator, definition, details, types);
            if (existence is null || translator.Problems.Count > 0)
            {
                return Unsupported(definition, translator.Problems);
            }

            ruleCondition = existence;
        }
        else
        {
            where = Applicability.Where(translated);
            ruleCondition = ConditionTranslator.Annotate(new JObject { ["not"] = translated }, condition);
        }

        if (translator.ReadsLocation && types.Contains("microsoft.resources/subscriptions"))
        {
            // Learn (policy applicability): a condition on location keeps the policy off subscriptions.
            var offSubscriptions = new JObject { ["field"] = "type", ["notEquals"] = "Microsoft.Resources/subscriptions" };
            where = where is null ? offSubscriptions : new JObject { ["allOf"] = new JArray(offSubscriptions, where) };
        }

        var problems = Compile(definition, condition, where, ruleCondition);
        if (problems.Count > 0)
        {
            return Unsupported(definition, problems);
        }

        var output = Rule(request, kind, fromDeploy, effect, resolver.Used, resourceTypes, where, ruleCondition);
        return new ConversionResult(definition, ConversionStatus.Converted, output, kind, null, [], fromDeploy);
    }

    /// <summary>
    /// The if without its top-level type conditions that every one of the rule's resource types meets:
    /// resourceTypes already says them, and a finding's evidence then names what matters.
    /// </summary>
    private static JToken WithoutTypeChecks(JToken condition, HashSet<string> types)
    {
        bool Implied(JToken child) => child is JObject leaf && Applicability.TypeLeaf(leaf) is { } named && types.All(t => named.Contains(t));
        if (condition is JObject single && Implied(single))
        {
            // A bare type condition: true for every resource the rule applies to.
            return ConditionTranslator.Annotate(new JObject { ["field"] = "type", ["exists"] = true }, single.Annotation<SourceToken>()?.Token ?? single);
        }

        if (condition is not JObject obj || obj.Count != 1 || Json.Get(obj, "allOf") is not JArray all || !all.Any(Implied) || all.All(Implied))
        {
            return condition;
        }

        var kept = new JArray(all.Where(c => !Implied(c)));
        var result = kept.Count == 1 ? kept[0] : new JObject { ["allOf"] = kept };
        foreach (var annotation in obj.Annotations<SourceToken>())
        {
            result.AddAnnotation(annotation);
        }

        return result;
    }

    private static ConversionResult? Skip(PolicyDefinition definition)
    {
        if (string.Equals(definition.PolicyType, "Static", StringComparison.OrdinalIgnoreCase))
        {
            return Skipped(definition, "Microsoft-managed placeholder", "policyType Static: a regulatory-compliance control Microsoft attests, with nothing to evaluate");
        }

        if (definition.Mode is { } mode && !mode.Equals("All", StringComparison.OrdinalIgnoreCase) && !mode.Equals("Indexed", StringComparison.OrdinalIgnoreCase))
        {
            return Skipped(definition, $"data-plane mode {mode}", $"mode {mode} evaluates data inside the service (keys, Kubernetes objects), which a snapshot of Azure Resource Manager does not hold");
        }

        return null;
    }

    private static bool AllowsAuditIfNotExists(PolicyDefinition definition, JToken effect)
    {
        if (effect.Type != JTokenType.String || ParameterName().Match((string)effect!) is not { Success: true } match)
        {
            return false;
        }

        return Json.Property(definition.Parameters, match.Groups["name"].Value)?.Value is JObject declared &&
               Json.Get(declared, "allowedValues") is JArray allowed &&
               allowed.Any(a => a.Type == JTokenType.String && ((string)a!).Equals("AuditIfNotExists", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The if, with aliases read for the types it applies to. When an alias has a different path on
    /// two of those types (Microsoft.Compute/licenseType on machines and scale sets), the if is read
    /// once per type: anyOf(type is T and the if read for T).
    /// </summary>
    private static JToken? TranslateIf(ConditionTranslator translator, JToken condition, HashSet<string>? types)
    {
        var list = types?.Order(StringComparer.Ordinal).ToList();
        try
        {
            return translator.Condition(condition, new TranslationScope(list));
        }
        catch (AmbiguousAliasException) when (list is { Count: > 1 })
        {
            var branches = new JArray();
            foreach (var type in list)
            {
                var single = translator.Condition(condition, new TranslationScope([type]));
                if (single is not null)
                {
                    branches.Add(new JObject { ["allOf"] = new JArray(new JObject { ["field"] = "type", ["equals"] = type }, single) });
                }
            }

            return ConditionTranslator.Annotate(new JObject { ["anyOf"] = branches }, condition);
        }
        catch (AmbiguousAliasException ex)
        {
            translator.Problem(condition, $"alias '{ex.Alias}' has a different path on each type the condition may be evaluated on");
            return null;
        }
    }

    /// <summary>The related count an auditIfNotExists checks: at least one matching resource of details.type.</summary>
    private static JObject? Existence(ConditionTranslator translator, PolicyDefinition definition, JObject details, HashSet<string> evaluatedTypes)
    {
        var typeToken = Json.Get(details, "type");
        var typeValue = typeToken is null ? null : translator.Value(typeToken, new TranslationScope(null));
        if (typeValue?.Type != JTokenType.String || ConditionTranslator.IsExpression((string)typeValue!))
        {
            translator.Problem(typeToken ?? details, "details.type must name the related resource type, e.g. Microsoft.Insights/diagnosticSettings");
            return null;
        }

        var relatedType = ((string)typeValue!).TrimEnd('/');
        var evaluated = evaluatedTypes.Order(StringComparer.Ordinal).ToList();
        var scopeName = Scope(translator, details, relatedType, evaluated, out var resourceGroup);
        if (scopeName is null)
        {
            return null;
        }

        var parts = new JArray();
        if (Json.Get(details, "name") is { } nameToken)
        {
            var name = translator.Value(nameToken, new TranslationScope(evaluated, evaluated));
            var expected = name.Type == JTokenType.String && ConditionTranslator.IsExpression((string)name!)
                ? new JValue($"[last(split({((string)name!)[1..^1]}, '/'))]")
                : name.Type == JTokenType.String ? new JValue(LastSegment(((string)name!).StartsWith("[[", StringComparison.Ordinal) ? ((string)name!)[1..] : (string)name!)) : null;
            if (expected is null)
            {
                translator.Problem(nameToken, "details.name must be the related resource's name (a string)");
                return null;
            }

            // Matched against the id's last segment: ARM child resources show "server/db/current" or "current" as their name.
            parts.Add(ConditionTranslator.Annotate(new JObject { ["value"] = "[last(split(field('id'), '/'))]", ["equals"] = expected }, nameToken));
        }

        if (resourceGroup is not null)
        {
            parts.Add(ConditionTranslator.Annotate(new JObject { ["value"] = "[split(field('id'), '/')[4]]", ["equals"] = resourceGroup }, Json.Get(details, "resourceGroupName")!));
        }

        if (Json.Get(details, "existenceCondition") is { } existenceCondition &&
            translator.Condition(existenceCondition, new TranslationScope([relatedType.ToLowerInvariant()], evaluated)) is { } translated)
        {
            parts.Add(translated);
        }

        var related = new JObject { ["type"] = relatedType, ["scope"] = scopeName };
        if (parts.Count > 0)
        {
            related["where"] = parts.Count == 1 ? parts[0] : new JObject { ["allOf"] = parts };
        }

        return ConditionTranslator.Annotate(new JObject { ["related"] = related, ["greaterOrEquals"] = 1 }, details);
    }

    /// <summary>
    /// Where the related resources are: under the evaluated resource (a child type, or an extension
    /// type), else its resource group (existenceScope ResourceGroup, the default; resourceGroupName
    /// names another group of the subscription) or its subscription.
    /// </summary>
    private static string? Scope(ConditionTranslator translator, JObject details, string relatedType, IReadOnlyList<string> evaluated, out JToken? resourceGroup)
    {
        resourceGroup = null;
        if (evaluated.Any(t => relatedType.StartsWith(t + "/", StringComparison.OrdinalIgnoreCase)) || ExtensionTypes.IsExtension(relatedType))
        {
            return "children";
        }

        if (Json.Get(details, "resourceGroupName") is { } groupToken)
        {
            var group = translator.Value(groupToken, new TranslationScope(evaluated, evaluated));
            if (group.Type != JTokenType.String)
            {
                translator.Problem(groupToken, "details.resourceGroupName must be a resource group name");
                return null;
            }

            resourceGroup = group;
            return "subscription";
        }

        var scopeToken = Json.Get(details, "existenceScope");
        var scope = scopeToken?.Type == JTokenType.String ? (string)scopeToken! : "ResourceGroup";
        if (scope.Equals("Subscription", StringComparison.OrdinalIgnoreCase))
        {
            return "subscription";
        }

        if (scope.Equals("ResourceGroup", StringComparison.OrdinalIgnoreCase))
        {
            return "resourceGroup";
        }

        translator.Problem(scopeToken, $"details.existenceScope is ResourceGroup or Subscription, not '{scope}'");
        return null;
    }

    /// <summary>
    /// Compiles the rule's where and condition with the engine, so that nothing is kept that the
    /// engine cannot evaluate; each problem is reported at the definition token it came from.
    /// </summary>
    private static List<RuleDiagnostic> Compile(PolicyDefinition definition, JToken source, JToken? where, JToken condition)
    {
        var problems = new List<RuleDiagnostic>();
        var values = new ParameterValues(new Dictionary<string, RuleParameter>());
        foreach (var token in where is null ? [condition] : new[] { where, condition })
        {
            var compilation = ConditionCompiler.Compile(definition.File, token, values);
            foreach (var diagnostic in compilation.Diagnostics)
            {
                var at = token.SelectToken(diagnostic.Location.JsonPath, errorWhenNoMatch: false) ?? token;
                problems.Add(new RuleDiagnostic(Json.At(definition.File, SourceOf(at) ?? source), diagnostic.Message));
            }
        }

        return problems;
    }

    private static JToken? SourceOf(JToken? token)
    {
        for (var t = token; t is not null; t = t.Parent)
        {
            if (t.Annotation<SourceToken>() is { } source)
            {
                return source.Token;
            }
        }

        return null;
    }

    private static JObject Rule(ConversionRequest request, string kind, bool fromDeploy, string effect, IReadOnlyDictionary<string, JsonElement> used, List<string> resourceTypes, JToken? where, JToken condition)
    {
        var definition = request.Definition;
        var effectNote = fromDeploy
            ? $"The definition's effect is {effect}; it is imported as AuditIfNotExists, whose existence check is the same: a resource fails when the related resource it would deploy is missing or does not match."
            : null;
        var rule = new JObject
        {
            ["id"] = request.RuleId,
            ["title"] = Escape(definition.DisplayName.Trim()),
        };
        if (!string.IsNullOrWhiteSpace(definition.Description))
        {
            rule["description"] = Escape(definition.Description.Trim());
        }

        rule["notes"] = Notes(definition, kind, effectNote);
        rule["severity"] = request.Severity.ToWire();
        rule["category"] = CategoryMap.For(definition.DisplayName, definition.Category).ToWire();
        rule["resourceTypes"] = new JArray(resourceTypes);
        if (where is not null)
        {
            rule["where"] = Strip(where);
        }

        rule["condition"] = Strip(condition);
        rule["remediation"] = Escape(kind == "auditIfNotExists"
            ? $"Create or fix the related resource the Azure Policy definition '{definition.DisplayName.Trim()}' looks for (Portal: Policy > Definitions > the definition > its details); its remediation task (DeployIfNotExists) can do it where the definition allows."
            : $"Change the resource so that the Azure Policy definition '{definition.DisplayName.Trim()}' no longer matches it (Portal: Policy > Definitions > the definition shows its rule).");
        rule["links"] = new JArray($"https://portal.azure.com/#view/Microsoft_Azure_Policy/PolicyDetailBlade/definitionId/{Uri.EscapeDataString(definition.Id)}");
        if (request.Controls.Count > 0)
        {
            rule["controls"] = new JObject(request.Controls.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new JProperty(c.Key, new JArray(c.Value.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)))));
        }

        var policy = new JObject
        {
            ["definitionId"] = definition.Id,
        };
        if (definition.Version is not null)
        {
            policy["version"] = definition.Version;
        }

        policy["effect"] = kind;
        if (effectNote is not null)
        {
            policy["effectNote"] = effectNote;
        }

        policy["source"] = $"{definition.File}:{Json.At(definition.File, definition.Token).Line}";
        if (used.Count > 0)
        {
            policy["parameters"] = new JObject(used.OrderBy(u => u.Key, StringComparer.OrdinalIgnoreCase).Select(u => new JProperty(u.Key, JToken.Parse(u.Value.GetRawText()))));
        }

        if (request.Initiatives.Count > 0)
        {
            policy["initiatives"] = new JArray(request.Initiatives);
        }

        rule["policy"] = policy;
        return rule;
    }

    private static string Notes(PolicyDefinition definition, string kind, string? effectNote)
    {
        var text = $"Imported from Azure Policy definition {definition.Id}{(definition.Version is null ? string.Empty : $" version {definition.Version}")} with effect {kind}: " +
                   (kind == "auditIfNotExists"
                       ? "a resource the definition's if matches passes when a related resource matches its existence condition."
                       : "a resource of these types fails exactly when the definition's if matches it.") +
                   " Absent properties are read as Azure Policy reads them: a missing field is null." +
                   (effectNote is null ? string.Empty : " " + effectNote);
        return Escape(text);
    }

    /// <summary>The rule's JSON without annotations: a plain copy.</summary>
    private static JToken Strip(JToken token) => JToken.Parse(token.ToString(Newtonsoft.Json.Formatting.None));

    /// <summary>Braces around a name are placeholders in the rule language; a definition's text means them literally.</summary>
    private static string Escape(string text) => PlaceholderLike().Replace(text, "{{$1}}");

    private static string LastSegment(string name) => name.TrimEnd('/')[(name.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static ConversionResult Skipped(PolicyDefinition definition, string reason, string detail) =>
        new(definition, ConversionStatus.Skipped, null, null, reason, [new RuleDiagnostic(Json.At(definition.File, definition.Token), detail)]);

    private static ConversionResult Unsupported(PolicyDefinition definition, IReadOnlyList<RuleDiagnostic> problems) =>
        new(definition, ConversionStatus.Unsupported, null, null, problems.FirstOrDefault()?.Message ?? "not converted", problems);

    [GeneratedRegex(@"^\[\s*parameters\s*\(\s*'(?<name>[^']+)'\s*\)\s*\]$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ParameterName();

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderLike();
}
