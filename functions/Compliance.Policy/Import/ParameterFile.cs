using Compliance.Core.Rules;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Import;

/// <summary>
/// Parameter values from a file: a policy assignment as <c>az policy assignment show</c> prints it
/// (<c>"parameters": { "name": { "value": … } }</c>, at the top or under <c>properties</c>), an ARM
/// parameters file (the same <c>parameters</c> object beside <c>$schema</c>), or that object alone.
/// </summary>
public static class ParameterFile
{
    public static IReadOnlyDictionary<string, SuppliedValue> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var problems = new List<RuleDiagnostic>();
        var root = JsonFile.Read(File.ReadAllBytes(path), path, "the parameters file's", (location, message) => problems.Add(new RuleDiagnostic(location, message)));
        if (root is null)
        {
            throw new PolicyInputException(problems);
        }

        var obj = root as JObject;
        var parameters = Json.Object(Json.Object(obj, "properties"), "parameters") ?? Json.Object(obj, "parameters") ?? obj;
        if (parameters is null)
        {
            throw new PolicyInputException([new RuleDiagnostic(Json.At(path, root), "a parameters file is an object: a policy assignment with 'parameters', or { \"name\": { \"value\": … } }")]);
        }

        var values = new Dictionary<string, SuppliedValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in parameters.Properties().Where(p => !p.Name.StartsWith('$')))
        {
            if (property.Value is not JObject entry || Json.Get(entry, "value") is not { } value)
            {
                problems.Add(new RuleDiagnostic(Json.At(path, property), $"parameter '{property.Name}' must be written {{ \"value\": … }}"));
                continue;
            }

            values[property.Name] = new SuppliedValue(JsonLocations.ToElement(value), null, path);
        }

        return problems.Count > 0 ? throw new PolicyInputException(problems) : values;
    }
}
