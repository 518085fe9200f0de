using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Compliance.Core.Rules;

/// <summary>
/// Checks a JSON document read with line information against a JSON schema (NJsonSchema) and words
/// each problem for a person: where it is (file, line, column, JSON path) and what is expected. Used
/// for rule packs and suppression files alike.
/// </summary>
public static class SchemaCheck
{
    /// <summary>Every schema problem of <paramref name="root"/>, nested ones (anyOf, oneOf) flattened.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="root">The document, read with line information.</param>
    /// <param name="file">The file name shown in locations.</param>
    /// <param name="patternMessage">Words a pattern mismatch for the given value and property name, or null for the default.</param>
    public static IEnumerable<(SourceLocation Location, string Message)> Validate(
        JsonSchema schema,
        JToken root,
        string file,
        Func<JToken, string, string?>? patternMessage = null)
    {
        foreach (var error in Flatten(schema.Validate(root)))
        {
            var token = error.Token ?? root;
            yield return (Locate(file, token), Message(error, token, patternMessage));
        }
    }

    /// <summary>The place of a token: file, 1-based line and column, and its JSON path ("$.rules[0].id").</summary>
    public static SourceLocation Locate(string file, JToken? token) => JsonLocations.Of(file, token);

    /// <summary>"a string", "an object", … for messages.</summary>
    public static string KindOf(JToken token) => JsonLocations.KindOf(token);

    /// <summary>A value as a rule author wrote it: strings quoted, anything else as JSON.</summary>
    public static string Shown(JToken token) => token.Type == JTokenType.String
        ? $"'{(string)token!}'"
        : token.ToString(Formatting.None);

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var inner in Flatten(child.Errors.SelectMany(e => e.Value)))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static string Message(ValidationError error, JToken token, Func<JToken, string, string?>? patternMessage)
    {
        var schema = error.Schema;
        var value = token is JProperty p ? p.Value : token;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => $"missing required property '{error.Property}'",
            ValidationErrorKind.NoAdditionalPropertiesAllowed => UnknownProperty(error),
            ValidationErrorKind.NotInEnumeration => $"{Shown(value)} is not one of {string.Join(", ", schema.Enumeration.Select(e => $"'{e}'"))}",
            ValidationErrorKind.StringExpected => $"expected a string, not {KindOf(value)}",
            ValidationErrorKind.ArrayExpected => $"expected an array, not {KindOf(value)}",
            ValidationErrorKind.ObjectExpected => $"expected an object, not {KindOf(value)}",
            ValidationErrorKind.BooleanExpected => $"expected true or false, not {KindOf(value)}",
            ValidationErrorKind.IntegerExpected or ValidationErrorKind.NumberExpected => $"expected a number, not {KindOf(value)}",
            ValidationErrorKind.StringTooShort => "must not be empty",
            ValidationErrorKind.TooFewItems => $"needs at least {schema.MinItems} item(s)",
            ValidationErrorKind.DateTimeExpected => $"{Shown(value)} is not an ISO-8601 date-time such as 2026-11-27T00:00:00Z",
            ValidationErrorKind.PatternMismatch =>
                patternMessage?.Invoke(value, error.Property ?? (value.Parent as JProperty)?.Name ?? string.Empty)
                ?? $"{Shown(value)} does not have the expected form ({schema.Pattern})",
            _ => $"{Humanize(error.Kind.ToString())} (schema rule at {error.Path})",
        };
    }

    private static string UnknownProperty(ValidationError error)
    {
        var allowed = error.Schema.ActualProperties.Keys.Where(k => k != "$schema").ToList();
        var hint = Suggestions.DidYouMean(error.Property ?? string.Empty, allowed);
        return $"unknown property '{error.Property}'{hint}{(hint.Length == 0 ? $"; allowed here: {string.Join(", ", allowed)}" : string.Empty)}";
    }

    private static string Humanize(string kind)
    {
        var sb = new StringBuilder();
        foreach (var c in kind)
        {
            if (char.IsUpper(c) && sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
