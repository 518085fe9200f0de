namespace Compliance.Core.Conditions;

/// <summary>
/// The catalogue of condition compile messages: every problem the compiler reports about a condition
/// is worded here, as <see cref="Reasons"/> words every evidence sentence. Each says what is wrong
/// and what is expected instead; the location (file, line, column, JSON path) is added by the caller.
/// </summary>
internal static class CompileMessages
{
    public static string NotACondition(string kind) =>
        $"a condition is an object such as {{ \"field\": \"…\", \"equals\": … }}, not {kind}";

    public const string EmptyCondition =
        "empty condition: use allOf, anyOf or not, or a left side (field, value, count, related) with one operator";

    public static string UnknownKey(string key, string hint, IEnumerable<string> operators) => hint.Length > 0
        ? $"unknown key '{key}'{hint}"
        : $"unknown key '{key}': a condition takes allOf, anyOf, not, field, value, count, related and the operators {string.Join(", ", operators)}";

    public static string LogicNotAlone(string logic, IEnumerable<string> others) =>
        $"'{logic}' must stand alone in its object, but it is next to {string.Join(", ", others.Select(o => $"'{o}'"))}; wrap them in allOf or anyOf";

    public const string MissingLeftSide = "missing left side: a condition compares field, value, count or related with an operator";

    public static string TwoLeftSides(string first, string second) =>
        $"a condition has one left side, but this one has '{first}' and '{second}'; combine two conditions with allOf or anyOf";

    public static string MissingOperator(string left, IEnumerable<string> operators) =>
        $"missing operator after '{left}': add one of {string.Join(", ", operators)}";

    public static string TwoOperators(string first, string second) =>
        $"a condition has one operator, but this one has '{first}' and '{second}'; combine two conditions with allOf or anyOf";

    public static string LogicNeedsConditions(string logic, string kind) =>
        $"'{logic}' takes a non-empty array of conditions, not {kind}";

    public static string CountNotAnObject(string kind) =>
        $"'count' takes an object such as {{ \"field\": \"properties.rules[*]\", \"where\": {{…}} }}, not {kind}";

    public static string CountUnknownKey(string key) =>
        $"unknown key '{key}' in count; it takes field or value, an optional name (with value) and an optional where";

    public const string CountFieldOrValue =
        "'count' takes either 'field' (an array path ending in [*]) or 'value' (an array), exactly one of them";

    public const string CountNameWithField =
        "'name' belongs to a value count; a field count's elements are read with paths that start with the counted path";

    public static string CountFieldWithoutWildcard(string path) =>
        $"count.field '{path}' must end with [*] (the array whose elements are counted), e.g. properties.securityRules[*]";

    public static string CountValueNotAnArray(string kind) => $"count.value must be an array, not {kind}";

    public const string CountNameNotAString = "count.name must be a non-empty string";

    public static string RelatedNotAnObject(string kind) =>
        $"'related' takes an object {{ \"type\": \"…\", \"scope\": \"children|resourceGroup|subscription|tenant\", \"where\": {{…}} }}, not {kind}";

    public const string RelatedType = "related.type must be a resource type such as Microsoft.Sql/servers/firewallRules or microsoft.graph/users";

    public static string RelatedScope(string? written) =>
        $"related.scope must be 'children', 'resourceGroup', 'subscription' or 'tenant'{(written is null ? string.Empty : $", not '{written}'")}";

    public const string RelatedNested = "related cannot be nested inside related.where; count the second type from the rule's own condition";

    public static string NotACountOperator(string op) =>
        $"'{op}' cannot compare a count; use equals, notEquals, less, lessOrEquals, greater, greaterOrEquals, in or notIn with a number";

    public static string CountNeedsNumbers(string value) => $"compares a count with an array of numbers, not {value}";

    public static string CountNeedsNumber(string value) => $"compares a count with a number, not {value}";

    /// <summary>An operator given the wrong kind of value: "'in' expects an array of values, not a string (from parameter 'x')".</summary>
    public static string OperatorValue(string op, string problem, string? parameter) =>
        $"'{op}' {problem}{(parameter is null ? string.Empty : $" (from parameter '{parameter}')")}";

    public static string PathNotAString(string what, string kind) =>
        $"'{what}' takes a path string such as properties.minimumTlsVersion, not {kind}";

    public static string LooksLikeAlias(string text) =>
        $"'{text}' looks like an Azure Policy alias; write the JSON path into the resource instead, e.g. properties.minimumTlsVersion";

    public static string InvalidPath(string text, string error) => $"invalid path '{text}': {error}";

    public static string UnsupportedExpression(string text, string syntax, IEnumerable<string> usages) =>
        $"unsupported expression '{text}': {syntax}. Supported: {string.Join(", ", usages)}; start a literal with '[[' to keep its '['";

    public static string UnsupportedFunction(string function, IEnumerable<string> names) =>
        $"unsupported function '{function}()'{Rules.Suggestions.DidYouMean(function, names)}; the functions a rule can call are listed in rules/README.md (Expressions)";

    /// <summary>A function called the wrong way: "parameters() takes the parameter's name: [parameters('name')]".</summary>
    public static string FunctionUsage(string what, string usage) => $"{what}: {usage}";

    public static string UnknownParameter(string name, string hint, IReadOnlyList<string> declared) =>
        $"unknown parameter '{name}'{hint} ({(declared.Count == 0 ? "this pack declares no parameters" : $"this pack declares {string.Join(", ", declared)}")})";

    public static string WildcardInField(string argument) =>
        $"[*] cannot apply in field('{argument}'): an expression reads one value; inside a count over that array, the [*] names the current element, elsewhere use count";

    public static string WildcardInResource(string argument) =>
        $"[*] cannot apply in resource('{argument}'): an expression reads one value; use count to look into arrays";

    public const string CurrentOutsideValueCount = "current() is only valid inside the where of a value count";

    public static string CurrentWithoutCount(string name) =>
        $"current('{name}') names no enclosing value count; give the count \"name\": \"{name}\"";

    public static string FunctionArity(string function, int min, int max, string usage) =>
        $"{function}() takes {(min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}")} argument(s): {usage}";

    /// <summary>A function whose arguments are all known when the pack is compiled, but that cannot compute them.</summary>
    public static string FunctionFailed(string text, string error) => $"{text} cannot be computed: {error}";

    public static string UnknownMember(string function, string member, IEnumerable<string> members) =>
        $"{function}() has no property '{member}' a rule can read (it has {string.Join(", ", members)})";

    public const string PolicyFunctionOutsideImport =
        "policy() describes an Azure Policy assignment; only 'compliance policy import' can resolve it (it folds the value into the rule)";

    public static string AddDaysWholeDays(string value) => $"addDays() takes a whole number of days, not {value}";
}
