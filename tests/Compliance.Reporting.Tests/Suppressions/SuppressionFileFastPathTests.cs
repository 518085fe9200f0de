using System.Text;
using System.Text.Json;
using Compliance.Reporting.Suppressions;
using Xunit.Abstractions;

namespace Compliance.Reporting.Tests.Suppressions;

/// <summary>
/// The fast path of <see cref="SuppressionFile"/> (one pass of the UTF-8 reader, no token tree, no
/// schema validation) against the full path (Newtonsoft with line information, NJsonSchema, every
/// problem worded): over a valid file and one-change mutations of it, the fast path either declines
/// or gives exactly what the full path gives, and it never accepts a file the full path refuses.
/// TestData/Suppressions/suppressions-valid.json uses every property of the schema; its resource ids
/// are from samples/northwind-tenant.json, its rule ids from rules/ (it has no comments, as all test
/// data is read by strict readers too; the variants below add them).
/// </summary>
public sealed class SuppressionFileFastPathTests(ITestOutputHelper output)
{
    private const string FileName = "suppressions.json";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly SuppressionOptions Options = new();

    private static readonly string Valid = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Suppressions", "suppressions-valid.json"));

    /// <summary>The valid file's items as (name, raw JSON) pairs, to render with one change at a time.</summary>
    private static readonly List<List<(string Name, string Raw)>> Items = ParseItems(Valid);

    [Fact]
    public void The_valid_file_takes_the_fast_path_and_gives_what_the_full_path_gives()
    {
        var content = Encoding.UTF8.GetBytes(Valid);

        var fast = SuppressionFile.ReadValid(content, FileName, Now, Options, SuppressionFile.Shape);
        var full = SuppressionFile.ReadWithDiagnostics(content, FileName, Now, Options);

        Assert.NotNull(fast);
        Assert.Equal(full, fast);
        Assert.Equal(5, fast.Count);
        Assert.Equal(["suppressions.json:4", "suppressions.json:12", "suppressions.json:20", "suppressions.json:29", "suppressions.json:38"], fast.Select(s => s.Source));
        Assert.Equal("Accès hérité pour l'équipe de Zürich — revue trimestrielle.", fast[2].Justification);
        Assert.Equal(new SuppressionTag("legacy"), fast[2].Tag);
        Assert.True(fast[3].Broad);
        Assert.Equal("Firewall rule for the reporting \"bridge\" — removed after cut-over.", fast[4].Justification);
        Assert.StartsWith("s-", fast[1].Id, StringComparison.Ordinal);
    }

    public static TheoryData<string> ValidVariants() => [.. AcceptedVariants().Keys];

    /// <summary>Files every reader accepts: each must take the fast path, with the full path's result.</summary>
    [Theory]
    [MemberData(nameof(ValidVariants))]
    public void A_valid_variant_takes_the_fast_path(string name)
    {
        var content = AcceptedVariants()[name];
        Assert.True(name.StartsWith("as written", StringComparison.Ordinal) || !content.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Valid)), $"the variant '{name}' did not change the file");

        var fast = SuppressionFile.ReadValid(content, FileName, Now, Options, SuppressionFile.Shape);

        Assert.NotNull(fast);
        Assert.Equal(SuppressionFile.ReadWithDiagnostics(content, FileName, Now, Options), fast);
    }

    [Fact]
    public void Every_one_change_mutation_is_declined_or_read_alike()
    {
        var mutations = Mutations().ToList();
        var taken = 0;
        foreach (var (name, content) in mutations)
        {
            taken += AssertAgree(name, content) ? 1 : 0;
        }

        // Both kinds occur: the comparison is not vacuous either way.
        output.WriteLine($"{taken} of {mutations.Count} mutations took the fast path");
        Assert.InRange(taken, 10, mutations.Count - 100);
    }

    [Fact]
    public void Random_edits_of_the_valid_file_are_declined_or_read_alike()
    {
        // Seeded: the same edits on every run. Each inserts, deletes or doubles a few characters.
        var random = new Random(20261127);
        string[] pieces = ["{", "}", "[", "]", ",", ":", "\"", "\\", "/", "*", " ", "\n", "\r", "\r\n", "\t", "a", "1", "-", "é", "\u00a0", "null", "true", "//", "/*", "*/", "\\u0041", "\\uD800", "\"x\"", "\"x\":", "{}", "[]", "\uFEFF"];
        var taken = 0;
        const int Runs = 1500;
        for (var run = 0; run < Runs; run++)
        {
            var text = Valid;
            var edits = random.Next(1, 3);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(text.Length);
                text = random.Next(3) switch
                {
                    0 => text.Insert(at, pieces[random.Next(pieces.Length)]),
                    1 => text.Remove(at, Math.Min(random.Next(1, 6), text.Length - at)),
                    _ => text.Insert(at, text.Substring(at, Math.Min(random.Next(1, 12), text.Length - at))),
                };
            }

            taken += AssertAgree($"random edit {run}", Encoding.UTF8.GetBytes(text)) ? 1 : 0;
        }

        output.WriteLine($"{taken} of {Runs} edited files took the fast path");
        Assert.InRange(taken, 1, Runs - 1);
    }

    [Fact]
    public void A_large_generated_file_takes_the_fast_path()
    {
        // The shape of the benchmark's 46,000-entry file, smaller.
        var text = new StringBuilder("{\"suppressions\":[\n");
        for (var i = 0; i < 2000; i++)
        {
            text.Append(i == 0 ? string.Empty : ",\n")
                .Append($"{{\"id\":\"bench-{i}\",\"ruleId\":\"AZ-FW-{i % 30:000}\",\"resourceId\":\"/subscriptions/3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13/resourceGroups/rg-{i % 7}/providers/Microsoft.Network/networkSecurityGroups/nsg-{i}\",")
                .Append("\"justification\":\"Benchmark exception\",\"owner\":\"bench@northwind.example\",\"expiresOn\":\"2027-05-30\"}");
        }

        var content = Encoding.UTF8.GetBytes(text.Append("\n]}\n").ToString());

        var fast = SuppressionFile.ReadValid(content, FileName, Now, Options, SuppressionFile.Shape);

        Assert.NotNull(fast);
        Assert.Equal(SuppressionFile.ReadWithDiagnostics(content, FileName, Now, Options), fast);
        Assert.Equal("suppressions.json:2001", fast[^1].Source);
    }

    [Fact]
    public void The_date_shortcut_decides_as_DateOnly_TryParseExact_does()
    {
        string[] years = ["0000", "0001", "1900", "2000", "2024", "2026", "2027", "2100", "9999"];
        var checkedDates = 0;
        foreach (var year in years)
        {
            for (var month = 0; month <= 13; month++)
            {
                for (var day = 0; day <= 32; day++)
                {
                    var text = $"{year}-{month:00}-{day:00}";
                    var expected = DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date);

                    Assert.Equal(expected, SuppressionFile.IsoDate(text, out var shortcut));
                    Assert.Equal(date, shortcut);
                    checkedDates++;
                }
            }
        }

        Assert.Equal(9 * 14 * 33, checkedDates);
        string[] otherForms = ["2027-3-31", "2027-03-31T00:00:00Z", " 2027-03-31", "2027-03-31 ", "２０２７-03-31", "2027/03/31", "27-03-31", "+027-03-31", "-027-03-31", "2027-0a-31", "2027-03-3１", ""];
        Assert.All(otherForms, text => Assert.Null(SuppressionFile.IsoDate(text, out _)));
    }

    /// <summary>True when the fast path took the file; fails when it read it otherwise than the full path.</summary>
    private static bool AssertAgree(string name, byte[] content)
    {
        var fast = SuppressionFile.ReadValid(content, FileName, Now, Options, SuppressionFile.Shape);
        IReadOnlyList<Suppression>? full;
        string? refused = null;
        try
        {
            full = SuppressionFile.ReadWithDiagnostics(content, FileName, Now, Options);
        }
        catch (SuppressionFileException ex)
        {
            full = null;
            refused = string.Join("; ", ex.Diagnostics);
        }

        if (fast is null)
        {
            return false;
        }

        Assert.True(full is not null, $"{name}: the fast path accepted a file the full path refuses ({refused}):\n{Encoding.UTF8.GetString(content)}");
        Assert.True(full.SequenceEqual(fast), $"{name}: the fast path read the file otherwise than the full path:\n{Encoding.UTF8.GetString(content)}");
        return true;
    }

    private static Dictionary<string, byte[]> AcceptedVariants()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["as written (non-ASCII, escapes)"] = Encoding.UTF8.GetBytes(Valid),
            ["comments between items and properties"] = Encoding.UTF8.GetBytes(Valid
                .Replace("  \"suppressions\": [", "  // Reviewed monthly by the CAB.\n  \"suppressions\": [", StringComparison.Ordinal)
                .Replace("    },\n    {\n      \"id\": \"kv-legacy\",", "    },\n    /* A tag without a value: any value. */\n    {\n      \"id\": \"kv-legacy\", // stable id\n", StringComparison.Ordinal)),
            ["with a byte order mark"] = [.. bom, .. Encoding.UTF8.GetBytes(Valid)],
            ["CRLF line ends"] = Encoding.UTF8.GetBytes(Valid.ReplaceLineEndings("\r\n")),
            ["CR line ends"] = Encoding.UTF8.GetBytes(Valid.ReplaceLineEndings("\r")),
            ["one line"] = Encoding.UTF8.GetBytes(Render(Items, newline: string.Empty)),
            ["rendered with LF"] = Encoding.UTF8.GetBytes(Render(Items, newline: "\n")),
            ["rendered with CRLF"] = Encoding.UTF8.GetBytes(Render(Items, newline: "\r\n")),
            ["comments in every place JSON allows them"] = Encoding.UTF8.GetBytes(Render(Items, newline: "\n", comment: "/* c\n */")),
            ["line comments"] = Encoding.UTF8.GetBytes(Render(Items, newline: "\n", comment: "// c\n")),
            ["tabs and trailing newlines"] = Encoding.UTF8.GetBytes(string.Join('\n', Valid.Split('\n').Select(line => new string('\t', (line.Length - line.TrimStart(' ').Length) / 2) + line.TrimStart(' '))) + "\n\n\t \r\n"),
            ["a leading comment"] = Encoding.UTF8.GetBytes("// suppressions of the northwind tenant\n/* reviewed monthly */\n" + Valid),
            ["escaped property names and values"] = Encoding.UTF8.GetBytes(Valid.Replace("\"ruleId\"", "\"rule\\u0049d\"", StringComparison.Ordinal).Replace("AZ-ENC-002", "AZ\\u002DENC-002", StringComparison.Ordinal)),
            ["non-ASCII outside the Basic Multilingual Plane"] = Encoding.UTF8.GetBytes(Valid.Replace("(CAB-77)", "(CAB-77 🎄 \\ud83c\\udf84)", StringComparison.Ordinal)),
            ["no suppressions"] = Encoding.UTF8.GetBytes("{ \"suppressions\": [] }"),
            ["an id at the pattern's limit"] = Encoding.UTF8.GetBytes(With(0, "id", Quote(new string('a', 128)))),
            ["an open tag"] = Encoding.UTF8.GetBytes(With(1, "tag", """{ "name": "exception" }""")),
        };
    }

    /// <summary>The valid file with one change each: removed, mistyped, empty, unknown or doubled properties, and the like.</summary>
    private static IEnumerable<(string Name, byte[] Content)> Mutations()
    {
        foreach (var (name, content) in AcceptedVariants())
        {
            yield return (name, content);
        }

        string[] wrongValues = ["42", "null", "true", "false", "[]", "{}", "\"\"", "\"   \"", "\"x\"", "[\"x\"]", "{ \"name\": \"x\" }"];
        for (var i = 0; i < Items.Count; i++)
        {
            foreach (var (property, raw) in Items[i])
            {
                yield return ($"item {i} without {property}", Utf8(Render(Change(i, items => items.RemoveAll(p => p.Name == property)))));
                yield return ($"item {i} with {property} twice", Utf8(Render(Change(i, items => items.Add((property, raw))))));
                yield return ($"item {i} with {property} twice, the second other", Utf8(Render(Change(i, items => items.Add((property, "\"other\""))))));
                foreach (var value in wrongValues)
                {
                    yield return ($"item {i} with {property} = {value}", Utf8(With(i, property, value)));
                }
            }

            yield return ($"item {i} with an unknown property", Utf8(With(i, "ownr", "\"typo\"")));
            yield return ($"item {i} with a property in the wrong case", Utf8(With(i, "Owner", "\"x\"")));
            yield return ($"item {i} with both resourceId and resourcePattern", Utf8(With(With(i, "resourceId", "\"/subscriptions/x\""), i, "resourcePattern", "\"/subscriptions/*\"")));
            yield return ($"item {i} with neither resourceId nor resourcePattern", Utf8(Render(Change(i, items => items.RemoveAll(p => p.Name is "resourceId" or "resourcePattern")))));
            yield return ($"item {i} twice", Utf8(Render([.. Items, Items[i]])));
            yield return ($"item {i} as a string", Utf8(Render(Items, replace: (i, "\"x\""))));
            yield return ($"item {i} as null", Utf8(Render(Items, replace: (i, "null"))));

            string[] expiries = ["2027-13-01", "2027-02-30", "9999-12-31", "9999-12-30", "2030-01-01", "2027-11-28", "2027-11-27", "2027-02-28T25:00:00Z", "2027-02-28T12:00:00", "2027-02-28T12:00:00+02:00", "2027-02-28 12:00:00", "next tuesday", "2026-11-27", "2020-01-01", "20270228", "0001-01-01T00:00:00Z", "2027-02-28\\n"];
            foreach (var expiry in expiries)
            {
                yield return ($"item {i} expiring {expiry}", Utf8(With(i, "expiresOn", Quote(expiry))));
            }

            string[] rules = ["*", "**", "?", "*?", "AZ-*", "az-fw-001", " ", "AZ-FW-001 "];
            foreach (var rule in rules)
            {
                yield return ($"item {i} for rule {rule}", Utf8(With(i, "ruleId", Quote(rule))));
                yield return ($"item {i} for rule {rule}, broad", Utf8(With(With(i, "ruleId", Quote(rule)), i, "broad", "true")));
            }

            string[] patterns = ["*", "/*", "/subscriptions/*", "/SUBSCRIPTIONS/*", "/subscriptions/*/", "*/rg-data-prod/*", "?"];
            foreach (var pattern in patterns)
            {
                var withPattern = Render(Change(i, items =>
                {
                    items.RemoveAll(p => p.Name is "resourceId" or "resourcePattern");
                    items.Add(("resourcePattern", Quote(pattern)));
                }));
                yield return ($"item {i} for pattern {pattern}", Utf8(withPattern));
                yield return ($"item {i} for pattern {pattern}, broad", Utf8(With(ParseItems(withPattern), i, "broad", "true")));
                yield return ($"item {i} for pattern {pattern}, with a tag", Utf8(With(ParseItems(withPattern), i, "tag", """{ "name": "env" }""")));
            }

            string[] tags = ["""{ "name": "x" }""", """{ "name": "x", "value": "y" }""", """{ "name": "" }""", """{ "value": "y" }""", """{ "name": "x", "other": "z" }""", """{ "name": 1 }""", """{ "name": "x", "value": null }""", """{ "name": "x", "value": 1 }""", """{ "name": "x", "value": "" }""", """{ "name": "x", "name": "y" }""", """{}""", "\"x\"", "[]", """{ "name": " " }""", """{ "name": "x" /* c */ }"""];
            foreach (var tag in tags)
            {
                yield return ($"item {i} with tag {tag}", Utf8(With(i, "tag", tag)));
            }

            string[] ids = ["bad id", "", "a/b", new string('a', 129), "a\\n", "\\u0061b", "DEV-SCRATCH-HTTP", "kv-legacy", "freeze-2026", "é"];
            foreach (var id in ids)
            {
                yield return ($"item {i} with id {id}", Utf8(With(i, "id", Quote(id))));
            }

            yield return ($"item {i} with a blank owner", Utf8(With(i, "owner", "\" \\t \"")));
            yield return ($"item {i} with a lone surrogate", Utf8(With(i, "justification", "\"x \\uD800 y\"")));
            yield return ($"item {i} with a raw tab in a string", Utf8(With(i, "justification", "\"x\ty\"")));
            yield return ($"item {i} with a raw newline in a string", Utf8(With(i, "justification", "\"x\ny\"")));
            yield return ($"item {i} with an invalid escape", Utf8(With(i, "justification", "\"x\\qy\"")));
            yield return ($"item {i} with a single-quoted string", Utf8(With(i, "justification", "'x'")));
        }

        // The file as a whole.
        yield return ("two entries with the same derived id", Utf8(Render([Items[1], Items[1]])));
        yield return ("derived ids differing in case only", Utf8(Render([Items[1], ParseItems(Render([Items[1]]).Replace("rg-mgmt-prod", "RG-MGMT-PROD", StringComparison.Ordinal))[0]])));
        yield return ("ids differing in case only", Utf8(With(1, "id", "\"DEV-scratch-HTTP\"")));
        yield return ("a trailing comma in the array", Utf8(Valid.Replace("\"2026-11-01\"\n    }", "\"2026-11-01\"\n    },", StringComparison.Ordinal)));
        yield return ("a trailing comma in an item", Utf8(Valid.Replace("\"2026-11-01\"", "\"2026-11-01\",", StringComparison.Ordinal)));
        yield return ("a trailing comma in the root", Utf8(Valid.TrimEnd().TrimEnd('}') + ",}"));
        yield return ("a comma missing", Utf8(Valid.Replace("\"2027-02-28\"\n    },", "\"2027-02-28\"\n    }", StringComparison.Ordinal)));
        yield return ("content after the document", Utf8(Valid + "{}"));
        yield return ("a second document", Utf8(Valid + Valid));
        yield return ("a word after the document", Utf8(Valid + "\nx"));
        yield return ("a comma after the document", Utf8(Valid + ","));
        yield return ("a comment after the document", Utf8(Valid + "\n// end"));
        yield return ("a block comment after the document", Utf8(Valid + "/* end */"));
        yield return ("an empty line comment ending the file", Utf8(Valid + "//"));
        yield return ("a comment then content after the document", Utf8(Valid + "/* end */ {}"));
        yield return ("an unclosed comment after the document", Utf8(Valid + "/* end"));
        yield return ("a comment between a name and its colon", Utf8(Valid.Replace("\"owner\":", "\"owner\" /* c */ :", StringComparison.Ordinal)));
        yield return ("a non-breaking space as whitespace", Utf8(Valid.Replace("{\n      \"id\"", "{\u00a0\"id\"", StringComparison.Ordinal)));
        yield return ("a byte order mark in the middle", Utf8(Valid.Replace("[\n", "[\uFEFF\n", StringComparison.Ordinal)));
        yield return ("a NUL after the document", [.. Utf8(Valid), 0]);
        yield return ("invalid UTF-8 in a string", [.. Utf8(Valid[..Valid.IndexOf("Scratch", StringComparison.Ordinal)]), 0xFF, .. Utf8(Valid[Valid.IndexOf("Scratch", StringComparison.Ordinal)..])]);
        yield return ("invalid UTF-8 in a comment", [.. Utf8("/* note: "), 0xC3, 0x28, .. Utf8(" */\n" + Valid)]);
        yield return ("an overlong UTF-8 encoding", [.. Utf8(Valid[..Valid.IndexOf("Scratch", StringComparison.Ordinal)]), 0xC0, 0xAF, .. Utf8(Valid[Valid.IndexOf("Scratch", StringComparison.Ordinal)..])]);
        yield return ("a byte order mark twice", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Utf8(Valid)]);
        yield return ("an empty file", []);
        yield return ("only whitespace", Utf8(" \n "));
        yield return ("null", Utf8("null"));
        yield return ("an array", Utf8("[]"));
        yield return ("an empty object", Utf8("{}"));
        yield return ("suppressions as an object", Utf8("""{ "suppressions": {} }"""));
        yield return ("suppressions as null", Utf8("""{ "suppressions": null }"""));
        yield return ("suppressions of numbers", Utf8("""{ "suppressions": [1] }"""));
        yield return ("suppressions of arrays", Utf8("""{ "suppressions": [[]] }"""));
        yield return ("suppressions twice", Utf8("""{ "suppressions": [], "suppressions": [] }"""));
        yield return ("$schema of another type", Utf8("""{ "$schema": 1, "suppressions": [] }"""));
        yield return ("$schema empty", Utf8("""{ "$schema": "", "suppressions": [] }"""));
        yield return ("an unknown root property", Utf8("""{ "suppressions": [], "version": 2 }"""));
        yield return ("deep nesting", Utf8("{ \"suppressions\": [], \"x\": " + new string('[', 300) + new string(']', 300) + " }"));
        yield return ("a number where none is allowed", Utf8("""{ "suppressions": [], "n": 1e400 }"""));
        yield return ("single quotes", Utf8("{ 'suppressions': [] }"));
        yield return ("an unquoted name", Utf8("{ suppressions: [] }"));
        yield return ("a truncated file", Utf8(Valid[..(Valid.Length / 2)]));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Quote(string jsonText) => $"\"{jsonText}\"";

    private static List<List<(string Name, string Raw)>> Change(int index, Action<List<(string Name, string Raw)>> change)
    {
        var items = Items.Select(item => item.ToList()).ToList();
        change(items[index]);
        return items;
    }

    /// <summary>The file with item <paramref name="index"/>'s property set to a raw JSON value (added when absent).</summary>
    private static string With(int index, string property, string raw) => With(Items, index, property, raw);

    private static string With(string rendered, int index, string property, string raw) => With(ParseItems(rendered), index, property, raw);

    private static string With(List<List<(string Name, string Raw)>> source, int index, string property, string raw)
    {
        var items = source.Select(item => item.ToList()).ToList();
        var at = items[index].FindIndex(p => p.Name == property);
        if (at < 0)
        {
            items[index].Add((property, raw));
        }
        else
        {
            items[index][at] = (property, raw);
        }

        return Render(items);
    }

    /// <summary>A suppressions file of these items, one property a line (or all on one line), with comments wherever JSON allows one.</summary>
    private static string Render(List<List<(string Name, string Raw)>> items, string newline = "\n", string comment = "", (int Index, string Raw)? replace = null)
    {
        var text = new StringBuilder();
        text.Append(comment).Append('{').Append(comment).Append(newline).Append("  \"suppressions\":").Append(comment).Append(" [").Append(comment).Append(newline);
        for (var i = 0; i < items.Count; i++)
        {
            text.Append("    ");
            if (replace is { } r && r.Index == i)
            {
                text.Append(r.Raw);
            }
            else
            {
                text.Append('{').Append(comment).Append(newline);
                for (var p = 0; p < items[i].Count; p++)
                {
                    var (name, raw) = items[i][p];
                    text.Append("      \"").Append(name).Append("\":").Append(comment).Append(' ').Append(raw).Append(comment).Append(p < items[i].Count - 1 ? "," : string.Empty).Append(comment).Append(newline);
                }

                text.Append("    }");
            }

            text.Append(comment).Append(i < items.Count - 1 ? "," : string.Empty).Append(comment).Append(newline);
        }

        return text.Append("  ]").Append(comment).Append(newline).Append('}').Append(newline).ToString();
    }

    private static List<List<(string Name, string Raw)>> ParseItems(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return document.RootElement.GetProperty("suppressions").EnumerateArray()
            .Select(item => item.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())).ToList())
            .ToList();
    }
}
