using System.Globalization;
using Compliance.Core.Rules;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// Reads a suppressions.json: checked against suppressions.schema.json, then for what a schema cannot
/// say (a resource id or a pattern, an expiry that parses and lies at most the maximum away, unique
/// ids). Every problem is reported at once with file, line, column and JSON path. A valid file is
/// read in one pass (no token tree, no schema validation: tens of thousands of entries in a fraction
/// of a second); a file with anything to report is read by the full path, which words it.
/// </summary>
public static class SuppressionFile
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);
    private static readonly Lazy<SchemaShape?> LoadedShape = new(() => SchemaShape.From(Schema.Value));

    /// <summary>The shape of suppressions.schema.json the fast path reads with (null: the schema has none, every file takes the full path).</summary>
    internal static SchemaShape? Shape => LoadedShape.Value;

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

    /// <summary>
    /// Reads and validates a file's bytes; throws <see cref="SuppressionFileException"/> listing every problem.
    /// A valid file is read in one pass of the UTF-8 reader (<see cref="ReadValid"/>); anything that
    /// pass is not sure of is read again by the full reader, which finds and words every problem.
    /// </summary>
    public static IReadOnlyList<Suppression> Parse(byte[] content, string file, DateTimeOffset now, SuppressionOptions options) =>
        ReadValid(content, file, now, options, Shape) ?? ReadWithDiagnostics(content, file, now, options);

    /// <summary>
    /// The fast path: the suppressions of a file that has nothing to report, read without a token
    /// tree or a schema validation (the <paramref name="shape"/> of the schema is checked while
    /// reading), through the same checks as the full path; null as soon as anything would be
    /// reported, or when the schema has no shape.
    /// </summary>
    internal static List<Suppression>? ReadValid(byte[] content, string file, DateTimeOffset now, SuppressionOptions options, SchemaShape? shape)
    {
        if (shape is null || ShapedJsonReader.Read(content, shape) is not JsonFields root || root["suppressions"] is not List<object> items)
        {
            return null;
        }

        var checks = new SuppressionChecks(file, now, options);
        var clean = true;
        Action<string?, string> problem = (_, _) => clean = false;
        foreach (var item in items)
        {
            if (item is not JsonFields fields)
            {
                return null;
            }

            checks.Add(SuppressionEntry.From(fields), problem);
            if (!clean)
            {
                return null;
            }
        }

        return checks.Suppressions;
    }

    /// <summary>The full path: every problem of the file at once, each with file, line, column and JSON path.</summary>
    internal static IReadOnlyList<Suppression> ReadWithDiagnostics(byte[] content, string file, DateTimeOffset now, SuppressionOptions options)
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

        if (root is not JObject || root["suppressions"] is not JArray items)
        {
            // The schema check above has said what the file should be.
            return [];
        }

        var checks = new SuppressionChecks(file, now, options);
        foreach (var item in items.OfType<JObject>())
        {
            checks.Add(SuppressionEntry.From(Fields(item)), (property, message) =>
                diagnostics.Add(new SuppressionDiagnostic(SchemaCheck.Locate(file, property is null ? item : item[property] ?? item), message)));
        }

        return checks.Suppressions;
    }

    /// <summary>An item's properties as the plain values <see cref="SuppressionEntry.From"/> reads.</summary>
    private static JsonFields Fields(JObject item)
    {
        var fields = new JsonFields(((IJsonLineInfo)item).LineNumber);
        foreach (var property in item.Properties())
        {
            fields.TryAdd(property.Name, property.Value switch
            {
                JValue { Type: JTokenType.String } text => (string)text!,
                JValue { Type: JTokenType.Boolean } flag => (bool)flag!,
                JObject inner => Fields(inner),
                var other => other,
            });
        }

        return fields;
    }

    /// <summary>A date means "through that day" (UTC): it expires at the start of the next day.</summary>
    public static bool TryParseExpiry(string text, out DateTimeOffset expiresOn)
    {
        expiresOn = default;
        if (IsoDate(text, out var date) ?? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
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

    /// <summary>
    /// Whether text of the form "2027-03-31" (ASCII digits) is a date, as DateOnly.TryParseExact with
    /// "yyyy-MM-dd" decides it (a year from 1, a month, a day of that month) but without its
    /// culture-aware parser, which costs a file of tens of thousands of entries more than reading it;
    /// null for text of any other form.
    /// </summary>
    internal static bool? IsoDate(string text, out DateOnly date)
    {
        date = default;
        var t = text.AsSpan();
        if (t.Length != 10 || t[4] != '-' || t[7] != '-' || !char.IsAsciiDigit(t[5]) || !char.IsAsciiDigit(t[6]) || !char.IsAsciiDigit(t[8]) || !char.IsAsciiDigit(t[9])
            || t[..4].ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        var year = ((t[0] - '0') * 1000) + ((t[1] - '0') * 100) + ((t[2] - '0') * 10) + (t[3] - '0');
        var month = ((t[5] - '0') * 10) + (t[6] - '0');
        var day = ((t[8] - '0') * 10) + (t[9] - '0');
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(SuppressionFile).Assembly.GetManifestResourceStream("Compliance.Reporting.suppressions.schema.json")
            ?? throw new InvalidOperationException("the embedded suppressions schema is missing");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
