using System.Text.Json;

namespace Compliance.Core.Rules;

/// <summary>The values a pack's parameters take for one compilation: defaults, overridden at scan time.</summary>
internal sealed class ParameterValues
{
    private readonly Dictionary<string, JsonElement> _values;

    public ParameterValues(IReadOnlyDictionary<string, RuleParameter> declared, IReadOnlyDictionary<string, JsonElement>? overrides = null)
    {
        _values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, parameter) in declared)
        {
            _values[name] = overrides is not null && overrides.TryGetValue(name, out var value) ? value : parameter.Default;
        }

        Names = [.. declared.Keys.Order(StringComparer.OrdinalIgnoreCase)];
    }

    public IReadOnlyList<string> Names { get; }

    public bool TryGet(string name, out JsonElement value) => _values.TryGetValue(name, out value);

    /// <summary>The value of a parameter, or null when the pack declares no such parameter (for rule text placeholders).</summary>
    public JsonElement? ValueOf(string name) => _values.TryGetValue(name, out var value) ? value : null;
}
