using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Policy.Mapping;

/// <summary>
/// The severity of an imported rule, from a mapping file: by definition name (or id), then by
/// metadata.category, then the file's default, then medium. Azure Policy definitions carry no
/// severity. The bundled file (Mapping/severities.json) gives the built-ins this repository has
/// hand-written twins of the severity of the twin; <c>--severities FILE</c> adds to it or overrides it:
/// <code>{ "default": "medium", "definitions": { "404c3081-…": "high" }, "categories": { "Key Vault": "high" } }</code>
/// </summary>
public sealed class SeverityMap
{
    private readonly Dictionary<string, Severity> _definitions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Severity> _categories = new(StringComparer.OrdinalIgnoreCase);
    private Severity _default = Severity.Medium;

    public static SeverityMap Bundled()
    {
        var map = new SeverityMap();
        using var stream = typeof(SeverityMap).Assembly.GetManifestResourceStream("Compliance.Policy.severities.json")
            ?? throw new InvalidOperationException("The severity map is not embedded in Compliance.Policy.");
        map.Add(JsonDocument.Parse(stream).RootElement, "the bundled severities.json");
        return map;
    }

    /// <summary>Adds a mapping file's entries (later files win); a value that is not a severity throws <see cref="FormatException"/> naming it.</summary>
    public void Add(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{name}: a severity map is an object {{ \"default\", \"definitions\", \"categories\" }}");
        }

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "default":
                    _default = Parse(property.Value, name, "default");
                    break;
                case "definitions" or "categories" when property.Value.ValueKind == JsonValueKind.Object:
                    var target = property.Name == "definitions" ? _definitions : _categories;
                    foreach (var entry in property.Value.EnumerateObject())
                    {
                        target[entry.Name] = Parse(entry.Value, name, $"{property.Name}.{entry.Name}");
                    }

                    break;
                case "$comment" or "$schema":
                    break;
                default:
                    throw new FormatException($"{name}: $.{property.Name}: unknown key (a severity map has default, definitions and categories)");
            }
        }
    }

    public Severity For(string definitionName, string definitionId, string? category)
    {
        if (_definitions.TryGetValue(definitionName, out var byName) || _definitions.TryGetValue(definitionId, out byName))
        {
            return byName;
        }

        return category is not null && _categories.TryGetValue(category, out var byCategory) ? byCategory : _default;
    }

    private static Severity Parse(JsonElement value, string name, string path) =>
        value.ValueKind == JsonValueKind.String && EnumNames.TryParseSeverity(value.GetString(), out var severity)
            ? severity
            : throw new FormatException($"{name}: $.{path}: '{value}' is not a severity (critical, high, medium, low, informational)");
}
