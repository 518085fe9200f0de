using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Rules;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// Reads a suppressions.json: checked against suppressions.schema.json, then for what a schema cannot
/// say (a resource id or a pattern, an expiry that parses and lies at most the maximum away, unique
/// ids). Every problem is reported at once with file, line, column and JSON path.
/// </summary>
public static class SuppressionFile
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    /// <summary>Reads and validates the file; throws <see cref="SuppressionFileException"/> listing every problem.</summary>
    public static IReadOnlyList<Suppression> Load(string path, DateTimeOffset now, SuppressionOptions options)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SuppressionFileException([new SuppressionDiagnostic(new SourceLocation(path, 1, 1, "$"), "the suppressions file does not exist")]);
        }

        return Parse(content, path, now, options);
    }

    public static IReadOnlyList<Suppression> Parse(byte[] content, string file, DateTimeOffset now, SuppressionOptions options)
    {
        var diagnostics = new List<SuppressionDiagnostic>();
        var result = Read(content, file, now, options, diagnostics);
        if (diagnostics.Count > 0)
        {
            throw new SuppressionFileException(diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList());
        }

        return result;
    }

    private static List<Suppression> Read(byte[] content, string file, DateTimeOffset now, SuppressionOptions options, List<SuppressionDiagnostic> diagnostics)
    {
        var root = JsonFile.Read(content, file, "the", (location, message) => diagnostics.Add(new SuppressionDiagnostic(location, message)));
        if (root is null)
        {
            return [];
        }

        foreach (var (location, message) in SchemaCheck.Validate(Schema.Value, root, file, (value, _) => $"'{value}' is not a valid id (letters, digits, '.', '_', ':' and '-')"))
        {
            diagnostics.Add(new SuppressionDiagnostic(location, message));
        }

        var suppressions = new List<Suppression>();
        if (root is not JObject || root["suppressions"] is not JArray items)
        {
            // The schema check above has said what the file should be.
            return suppressions;
        }

        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items.OfType<JObject>())
        {
            var suppression = Build(file, item, now, options, diagnostics);
            if (suppression is null)
            {
                continue;
            }

            var line = ((IJsonLineInfo)item).LineNumber;
            if (ids.TryGetValue(suppression.Id, out var firstLine))
            {
                var where = item["id"] ?? item;
                diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, where), $"duplicate suppression id '{suppression.Id}' (first at line {firstLine}); give each entry its own id"));
                continue;
            }

            ids[suppression.Id] = line;
            suppressions.Add(suppression);
        }

        return suppressions;
    }

    private static Suppression? Build(string file, JObject item, DateTimeOffset now, SuppressionOptions options, List<SuppressionDiagnostic> diagnostics)
    {
        var ruleId = Str(item, "ruleId");
        var resourceId = Str(item, "resourceId");
        var resourcePattern = Str(item, "resourcePattern");
        var justification = Str(item, "justification");
        var owner = Str(item, "owner");
        var ok = true;
        if (resourceId is not null && resourcePattern is not null)
        {
            diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, item["resourcePattern"]!), "give either 'resourceId' or 'resourcePattern', not both"));
            ok = false;
        }
        else if (resourceId is null && resourcePattern is null)
        {
            diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, item), "missing 'resourceId' or 'resourcePattern': say which resource(s) the suppression covers (\"*\" with a 'tag' for every resource with that tag)"));
            ok = false;
        }

        foreach (var name in new[] { "justification", "owner" })
        {
            if (item[name] is JValue { Type: JTokenType.String } value && string.IsNullOrWhiteSpace((string?)value))
            {
                diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, value), $"'{name}' must not be blank"));
                ok = false;
            }
        }

        DateTimeOffset expiresOn = default;
        if (item["expiresOn"] is JValue { Type: JTokenType.String } expiresToken)
        {
            var text = (string)expiresToken!;
            if (!TryParseExpiry(text, out expiresOn))
            {
                diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, expiresToken), $"'{text}' is not a date (2027-03-31) or an ISO-8601 date-time (2027-03-31T12:00:00Z) before 9999-12-31"));
                ok = false;
            }
            else if (SuppressionRules.LifetimeProblem(expiresOn, now, options, text) is { } lifetime)
            {
                diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, expiresToken), lifetime));
                ok = false;
            }
        }

        SuppressionTag? tag = null;
        if (item["tag"] is JObject tagToken && Str(tagToken, "name") is { } tagName)
        {
            tag = new SuppressionTag(tagName, Str(tagToken, "value"));
        }

        if (!ok || ruleId is null || justification is null || owner is null || item["expiresOn"] is null)
        {
            return null;
        }

        var line = ((IJsonLineInfo)item).LineNumber;
        var suppression = new Suppression
        {
            Id = Str(item, "id") ?? DerivedId(ruleId, resourceId ?? resourcePattern!, tag),
            RuleId = ruleId,
            ResourceId = resourceId,
            ResourcePattern = resourcePattern,
            Tag = tag,
            Justification = justification.Trim(),
            Owner = owner.Trim(),
            ExpiresOn = expiresOn,
            Source = $"{Path.GetFileName(file)}:{line}",
            Broad = item["broad"] is JValue { Type: JTokenType.Boolean } broad && (bool)broad!,
        };
        if (SuppressionRules.BroadProblem(suppression) is { } tooBroad)
        {
            diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, item), tooBroad));
            return null;
        }

        return suppression;
    }

    /// <summary>A date means "through that day" (UTC): it expires at the start of the next day.</summary>
    public static bool TryParseExpiry(string text, out DateTimeOffset expiresOn)
    {
        expiresOn = default;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            // The last day of the calendar has no next day to expire at.
            if (date == DateOnly.MaxValue)
            {
                return false;
            }

            expiresOn = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        try
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out expiresOn)
                   && text.Contains('T', StringComparison.Ordinal);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static string DerivedId(string ruleId, string resource, SuppressionTag? tag)
    {
        var text = $"{ruleId.ToUpperInvariant()}\n{resource.ToLowerInvariant()}\n{tag?.Name.ToLowerInvariant()}={tag?.Value}";
        return "s-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static string? Str(JObject obj, string name) =>
        obj[name] is JValue { Type: JTokenType.String } value ? (string?)value : null;

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(SuppressionFile).Assembly.GetManifestResourceStream("Compliance.Reporting.suppressions.schema.json")
            ?? throw new InvalidOperationException("the embedded suppressions schema is missing");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
