using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Compliance.Core.Findings;

/// <summary>
/// The one home of enum wire names: the member name in lower camel case ("pass", "informational",
/// "inProgress"), in JSON, CSV, the stores, the HTTP API and the rule language alike. The JSON
/// converter (<see cref="CamelCaseEnumConverter{TEnum}"/>) applies the same <see cref="Policy"/>.
/// </summary>
public static class EnumNames
{
    /// <summary>How a member name becomes its wire name.</summary>
    public static JsonNamingPolicy Policy => JsonNamingPolicy.CamelCase;

    public static string ToWire<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Table<TEnum>.Names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    /// <summary>The wire name, or an empty string for null (an empty CSV cell, an absent status).</summary>
    public static string ToWire<TEnum>(this TEnum? value)
        where TEnum : struct, Enum => value is { } v ? v.ToWire() : string.Empty;

    /// <summary>Parses a wire name, ignoring case; numbers ("3") are not wire names.</summary>
    public static bool TryParse<TEnum>(string? text, [MaybeNullWhen(false)] out TEnum value)
        where TEnum : struct, Enum =>
        Table<TEnum>.Values.TryGetValue(text?.Trim() ?? string.Empty, out value);

    /// <summary>Parses a wire name that must be valid (what a store wrote); throws <see cref="FormatException"/> naming the type.</summary>
    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name} ({string.Join(", ", Names<TEnum>())})");

    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>.Ordered;

    public static bool TryParseSeverity(string? text, out Severity severity) => TryParse(text, out severity);

    public static bool TryParseOutcome(string? text, out Outcome outcome) => TryParse(text, out outcome);

    public static bool TryParseCategory(string? text, out RuleCategory category) => TryParse(text, out category);

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<string> Ordered = Enum.GetValues<TEnum>().Select(v => Policy.ConvertName(v.ToString())).ToArray();

        public static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => Policy.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> Values =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => Policy.ConvertName(v.ToString()), v => v, StringComparer.OrdinalIgnoreCase);
    }
}
