using System.Globalization;
using System.Text.Json;
using Compliance.Core.Conditions;
using Compliance.Policy.Definitions;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Conversion;

/// <summary>A value given for a parameter: typed JSON (a parameters file, an initiative) or text from the command line.</summary>
/// <param name="Json">The value as JSON, when it came typed.</param>
/// <param name="Text">The value as typed on the command line (converted to the parameter's declared type).</param>
/// <param name="Origin">Where it came from, for messages ("--param", "initiative NIST…", "parameters.json").</param>
public sealed record SuppliedValue(JsonElement? Json, string? Text, string Origin);

/// <summary>
/// The value of each parameter of one definition, when the conversion asks for it: the initiative's
/// value for the member, else a value given on the command line or in a parameters file, else the
/// declared default. A parameter without any is an error naming it; a value outside allowedValues
/// is an error naming the allowed ones. Only parameters the rule reads are asked for, so a parameter
/// that only a deployment uses needs no value.
/// </summary>
internal sealed class ParameterResolver(JObject? declarations, string file, IReadOnlyDictionary<string, SuppliedValue> supplied)
{
    public ParameterResolver(PolicyDefinition definition, IReadOnlyDictionary<string, SuppliedValue> supplied)
        : this(definition.Parameters, definition.File, supplied)
    {
    }

    private readonly Dictionary<string, JsonElement> _used = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The values the conversion used, by parameter name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Used => _used;

    public JsonElement Get(string name)
    {
        var declaration = Json.Property(declarations, name);
        if (declaration?.Value is not JObject declared)
        {
            var names = declarations?.Properties().Select(p => p.Name).ToList() ?? [];
            throw new TemplateFoldException($"parameter '{name}' is not declared (it declares {(names.Count == 0 ? "none" : string.Join(", ", names))})");
        }

        var type = Json.Text(declared, "type") ?? "String";
        JsonElement value;
        if (supplied.TryGetValue(declaration.Name, out var given))
        {
            value = given.Json ?? Convert(given.Text!, type, declaration.Name, given.Origin);
        }
        else if (Json.Get(declared, "defaultValue") is { } defaultValue)
        {
            value = Core.Rules.JsonLocations.ToElement(defaultValue);
        }
        else
        {
            var at = Json.At(file, declaration);
            throw new TemplateFoldException($"parameter '{declaration.Name}' has no default value and none was given (declared at line {at.Line}): import with --param {declaration.Name}=VALUE or a --params file");
        }

        if (Json.Get(declared, "allowedValues") is JArray allowed && allowed.Count > 0 && !IsAllowed(allowed, value))
        {
            throw new TemplateFoldException($"{Describe.Value(value)} is not an allowed value of parameter '{declaration.Name}' (allowed: {string.Join(", ", allowed.Select(a => Describe.Value(Core.Rules.JsonLocations.ToElement(a))))})");
        }

        _used[declaration.Name] = value;
        return value;
    }

    /// <summary>A value one of allowedValues, or — for an array parameter, as ARM validates it — an array whose every element is.</summary>
    private static bool IsAllowed(JArray allowed, JsonElement value)
    {
        var options = allowed.Select(Core.Rules.JsonLocations.ToElement).ToList();
        bool One(JsonElement v) => options.Any(o => ValueComparer.DeepEquals(o, v));
        return One(value) || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(One));
    }

    /// <summary>Text from the command line as the declared type: String, Integer, Float, Boolean, Array, Object, DateTime.</summary>
    public static JsonElement Convert(string text, string type, string name, string origin)
    {
        switch (type.ToLowerInvariant())
        {
            case "integer" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole):
                return JsonSerializer.SerializeToElement(whole);
            case "float" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return JsonSerializer.SerializeToElement(number);
            case "boolean" when bool.TryParse(text, out var flag):
                return JsonSerializer.SerializeToElement(flag);
            case "array" or "object":
                try
                {
                    using var document = JsonDocument.Parse(text);
                    var kind = document.RootElement.ValueKind;
                    if ((type.Equals("array", StringComparison.OrdinalIgnoreCase) && kind == JsonValueKind.Array) || (type.Equals("object", StringComparison.OrdinalIgnoreCase) && kind == JsonValueKind.Object))
                    {
                        return document.RootElement.Clone();
                    }
                }
                catch (JsonException)
                {
                }

                break;
            case "string" or "datetime":
                return JsonSerializer.SerializeToElement(text);
        }

        throw new TemplateFoldException($"{origin} gives parameter '{name}' the value '{text}', which is not a valid {type.ToLowerInvariant()}{(type.Equals("array", StringComparison.OrdinalIgnoreCase) || type.Equals("object", StringComparison.OrdinalIgnoreCase) ? " (give it as JSON)" : string.Empty)}");
    }
}
