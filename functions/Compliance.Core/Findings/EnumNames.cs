using System.Diagnostics.CodeAnalysis;

namespace Compliance.Core.Findings;

/// <summary>The wire names of the finding enums (lower case in JSON, CSV and the rule language).</summary>
public static class EnumNames
{
    public static string ToWire(this Outcome outcome) => outcome switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "fail",
        Outcome.Error => "error",
        Outcome.Suppressed => "suppressed",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static string ToWire(this Severity severity) => severity switch
    {
        Severity.Informational => "informational",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    public static string ToWire(this RuleCategory category) => category switch
    {
        RuleCategory.Firewall => "firewall",
        RuleCategory.Encryption => "encryption",
        RuleCategory.Patching => "patching",
        RuleCategory.Access => "access",
        RuleCategory.Monitoring => "monitoring",
        RuleCategory.Resilience => "resilience",
        RuleCategory.General => "general",
        RuleCategory.Collection => "collection",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    public static bool TryParseSeverity(string? text, out Severity severity) =>
        TryParse(text, out severity);

    public static bool TryParseOutcome(string? text, out Outcome outcome) =>
        TryParse(text, out outcome);

    public static bool TryParseCategory(string? text, out RuleCategory category) =>
        TryParse(text, out category);

    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()).ToArray();

    private static bool TryParse<TEnum>(string? text, [MaybeNullWhen(false)] out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        // Enum.TryParse would also accept numbers ("3"), which are not wire names.
        if (string.IsNullOrWhiteSpace(text) || !char.IsLetter(text[0]))
        {
            return false;
        }

        return Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
