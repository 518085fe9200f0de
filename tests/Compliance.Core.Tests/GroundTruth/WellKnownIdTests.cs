using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Core.Tests.GroundTruth;

/// <summary>
/// Every well-known id the repository uses (Azure role definitions, Entra role templates,
/// first-party apps) comes from rules/facts/well-known-ids.json: a mistyped id, or a name beside
/// another role's id, fails here instead of agreeing with itself in the rules, the fixtures, the
/// sample and the generators.
/// </summary>
public sealed partial class WellKnownIdTests
{
    private static readonly string[] Kinds = ["azure-role", "entra-role-template", "first-party-app"];

    private static readonly Lazy<WellKnownIdTable> Table = new(() => WellKnownIdTable.Load(RepoPaths.File("rules", "facts", "well-known-ids.json")));

    /// <summary>Data that names roles and apps: packs and their fixtures, the sample, test data, the corpus.</summary>
    private static IEnumerable<string> DataFiles()
    {
        string[] roots = ["rules", "samples", "tests"];
        foreach (var file in roots.SelectMany(r => Directory.EnumerateFiles(RepoPaths.File(r), "*.json", SearchOption.AllDirectories)))
        {
            var relative = Relative(file);
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal) || relative == "rules/facts/well-known-ids.json")
            {
                continue;
            }

            if (relative.StartsWith("tests/", StringComparison.Ordinal) && !relative.Contains("/TestData/", StringComparison.Ordinal) && !relative.StartsWith("tests/Corpus/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return file;
        }
    }

    /// <summary>The code that writes test tenants: it must read ids from the table, never hold a copy.</summary>
    private static IEnumerable<string> GeneratorFiles() =>
        Directory.EnumerateFiles(RepoPaths.File("samples"), "*.py")
            .Concat(Directory.EnumerateFiles(RepoPaths.File("tests", "Compliance.Azure.Tests", "Collectors", "Fakes"), "*.cs"))
            .Append(RepoPaths.File("tests", "Compliance.Benchmarks", "SyntheticTenant.cs"));

    private static IEnumerable<string> PackFiles() =>
        Directory.EnumerateFiles(RepoPaths.File("rules"), "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal));

    [Fact]
    public void The_table_has_a_name_a_kind_and_a_Microsoft_source_for_every_id()
    {
        var table = Table.Value;
        Assert.True(table.Ids.Count >= 100, $"{table.Ids.Count} ids");
        foreach (var entry in table.Ids)
        {
            Assert.Matches(LowerGuid(), entry.Id);
            Assert.False(string.IsNullOrWhiteSpace(entry.Name), entry.Id);
            Assert.Contains(entry.Kind, Kinds);
            Assert.True(entry.Source?.StartsWith("https://learn.microsoft.com/", StringComparison.Ordinal) == true, $"{entry.Id} ({entry.Name}) has no Microsoft Learn source");
        }

        Assert.Equal(table.Ids.Count, table.Ids.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var kind in Kinds)
        {
            var names = table.Ids.Where(e => e.Kind == kind).Select(e => e.Name).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        Assert.NotEmpty(table.KnownBad);
        Assert.All(table.KnownBad, bad => Assert.DoesNotContain(bad.Id, table.AllIds));
        Assert.Equal("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", table.IdOf("azure-role", "Owner"));
    }

    [Fact]
    public void No_file_holds_a_known_bad_variant_or_a_near_miss_of_a_well_known_id()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in DataFiles().Concat(GeneratorFiles()))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in AnyGuid().Matches(text))
            {
                var guid = m.Value.ToLowerInvariant();
                if (table.AllIds.Contains(guid))
                {
                    continue;
                }

                var where = $"{Relative(file)}:{Line(text, m.Index)}";
                if (table.KnownBad.FirstOrDefault(b => b.Id == guid) is { } bad)
                {
                    problems.Add($"{where}: {m.Value} is a known bad variant of {bad.LooksLike} ({bad.CorrectId})");
                }
                else if (table.NearMiss(guid) is { } near)
                {
                    problems.Add($"{where}: {m.Value} is one or two characters away from {near.Name} ({near.Id})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_near_miss_is_caught_and_a_pattern_id_is_not_taken_for_one()
    {
        var table = Table.Value;

        Assert.Equal("Owner", table.NearMiss("8e3af657-a8ff-443d-a75c-2fe8c4bcb635")?.Name);
        Assert.Equal("User Access Administrator", table.NearMiss("18d7d88d-d35e-4fb1-a5c3-7773c20a72d9")?.Name);
        Assert.Null(table.NearMiss("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        Assert.Null(table.NearMiss("00000000-0000-0000-0000-000000000001"));
        Assert.Null(table.NearMiss("3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13"));
    }

    [Fact]
    public void Rule_packs_use_only_ids_of_the_table()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in PackFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var (path, value) in Strings(doc.RootElement, "$").Where(s => !IsTestData(s.Path)))
            {
                foreach (Match m in AnyGuid().Matches(value))
                {
                    if (table.Find(m.Value.ToLowerInvariant()) is null)
                    {
                        problems.Add($"{Relative(file)} {path}: {m.Value} is not in rules/facts/well-known-ids.json");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Ids_where_Azure_puts_a_role_or_an_app_are_ids_of_the_table_or_defined_beside_them()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in DataFiles().Where(f => !Relative(f).StartsWith("tests/Corpus/", StringComparison.Ordinal)))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var all = Properties(doc.RootElement, "$").ToList();

            // A custom role or a tenant's own application may sit where a built-in one can: allowed when
            // the same data defines it (a custom role definition, an app registration).
            var defined = all
                .Where(p => p.Property == "appId" || (p.Property == "id" && p.Value.Contains("/roleDefinitions/", StringComparison.OrdinalIgnoreCase)))
                .SelectMany(p => AnyGuid().Matches(p.Value))
                .Select(m => m.Value.ToLowerInvariant())
                .ToHashSet(StringComparer.Ordinal);
            foreach (var (path, property, value) in all)
            {
                if (ExpectedKind(property, value) is not { } kind || AnyGuid().Matches(value).LastOrDefault() is not { } m)
                {
                    continue;
                }

                var guid = m.Value.ToLowerInvariant();
                var entry = table.Find(guid);
                if (entry is null && defined.Contains(guid))
                {
                    continue;
                }

                if (entry is null || entry.Kind != kind)
                {
                    problems.Add($"{Relative(file)} {path}: {value} should be a {kind} of rules/facts/well-known-ids.json or defined in the same data" + (entry is null ? string.Empty : $"; it is the {entry.Kind} {entry.Name}"));
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_name_beside_a_well_known_id_is_the_name_of_that_id()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in DataFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var (path, obj) in Objects(doc.RootElement, "$"))
            {
                var name = Text(obj, "displayName") ?? Text(obj, "roleName") ?? Text(obj, "appDisplayName");
                var id = Text(obj, "appId") ?? Text(obj, "templateId") ?? Text(obj, "roleTemplateId");
                if (name is null || id is null || !LowerGuid().IsMatch(id.ToLowerInvariant()))
                {
                    continue;
                }

                var named = table.Ids.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Formerly, name, StringComparison.OrdinalIgnoreCase));
                var identified = table.Find(id.ToLowerInvariant());
                if (named is not null && named.Id != id.ToLowerInvariant())
                {
                    problems.Add($"{Relative(file)} {path}: '{name}' beside {id}, which is {(identified is null ? "not its id" : "the id of " + identified.Name)}; {name} is {named.Id}");
                }
                else if (identified is not null && named is null && !name.Contains(identified.Name, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{Relative(file)} {path}: {id} is {identified.Name}, but the object is named '{name}'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void A_rule_that_uses_a_well_known_id_names_it_and_a_parameter_names_only_the_ids_it_holds()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in PackFiles())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var parameters = doc.RootElement.TryGetProperty("parameters", out var p) ? p : default;
            if (parameters.ValueKind == JsonValueKind.Object)
            {
                foreach (var parameter in parameters.EnumerateObject())
                {
                    var held = IdsIn(parameter.Value.TryGetProperty("default", out var d) ? d : default, table);
                    if (held.Count == 0)
                    {
                        continue;
                    }

                    var description = Text(parameter.Value, "description") ?? string.Empty;
                    foreach (var entry in held.Where(e => !Names(description, e)))
                    {
                        problems.Add($"{Relative(file)} parameter {parameter.Name}: holds {entry.Id} ({entry.Name}) but its description does not name {entry.Name}");
                    }

                    foreach (var other in NamedIn(description, table, held[0].Kind).Where(o => !held.Contains(o)))
                    {
                        problems.Add($"{Relative(file)} parameter {parameter.Name}: its description names {other.Name}, whose id {other.Id} it does not hold");
                    }
                }
            }

            foreach (var rule in doc.RootElement.GetProperty("rules").EnumerateArray())
            {
                var used = IdsIn(rule.TryGetProperty("condition", out var c) ? c : default, table)
                    .Concat(IdsIn(rule.TryGetProperty("where", out var w) ? w : default, table))
                    .Distinct()
                    .ToList();
                var text = string.Join(" ", new[] { "title", "description", "notes" }.Select(k => Text(rule, k) ?? string.Empty));
                foreach (var entry in used.Where(e => !Names(text, e)))
                {
                    problems.Add($"{Relative(file)} {Text(rule, "id")}: uses {entry.Id} ({entry.Name}) but its title, description and notes do not name {entry.Name}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Generators_take_role_and_app_ids_from_the_table_and_keep_no_copy()
    {
        var table = Table.Value;
        var problems = new List<string>();
        foreach (var file in GeneratorFiles())
        {
            var text = File.ReadAllText(file);
            foreach (Match m in AnyGuid().Matches(text))
            {
                if (table.Find(m.Value.ToLowerInvariant()) is { } entry)
                {
                    problems.Add($"{Relative(file)}:{Line(text, m.Index)}: a copy of {entry.Name}'s id; read it from rules/facts/well-known-ids.json");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // The writers of role assignments read the table.
        Assert.Contains("well-known-ids.json", File.ReadAllText(RepoPaths.File("samples", "generate-northwind-tenant.py")), StringComparison.Ordinal);
        Assert.Contains("WellKnownIds.AzureRole(\"Owner\")", File.ReadAllText(RepoPaths.File("tests", "Compliance.Azure.Tests", "Collectors", "Fakes", "FakeTenant.cs")), StringComparison.Ordinal);
        Assert.Contains("WellKnownIds.AzureRole(\"Owner\")", File.ReadAllText(RepoPaths.File("tests", "Compliance.Benchmarks", "SyntheticTenant.cs")), StringComparison.Ordinal);
    }

    /// <summary>Which kind of well-known id a property holds, when Azure or Graph put one there.</summary>
    private static string? ExpectedKind(string property, string value) => property switch
    {
        "roleDefinitionId" when value.Contains("/providers/Microsoft.Authorization/roleDefinitions/", StringComparison.OrdinalIgnoreCase) => "azure-role",
        "roleDefinitionId" when LowerGuid().IsMatch(value.ToLowerInvariant()) => "entra-role-template",
        "includeRoles" or "excludeRoles" => "entra-role-template",
        "includeApplications" or "excludeApplications" or "resourceAppId" => "first-party-app",
        _ => null,
    };

    private static bool IsTestData(string path) => path.Contains(".tests[", StringComparison.Ordinal);

    private static bool Names(string text, WellKnownIdTable.Entry entry) =>
        text.Contains(entry.Name, StringComparison.OrdinalIgnoreCase) || (entry.Formerly is { } f && text.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>The roles of a kind a text names, longest names first so that "Storage Blob Data Owner" is not also "Owner".</summary>
    private static IEnumerable<WellKnownIdTable.Entry> NamedIn(string text, WellKnownIdTable table, string kind)
    {
        var rest = text;
        foreach (var entry in table.Ids.Where(e => e.Kind == kind).OrderByDescending(e => e.Name.Length))
        {
            var pattern = new Regex($@"\b{Regex.Escape(entry.Name)}s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (pattern.IsMatch(rest))
            {
                rest = pattern.Replace(rest, " ");
                yield return entry;
            }
        }
    }

    private static List<WellKnownIdTable.Entry> IdsIn(JsonElement element, WellKnownIdTable table) =>
        element.ValueKind == JsonValueKind.Undefined
            ? []
            : Strings(element, "$").SelectMany(s => AnyGuid().Matches(s.Value)).Select(m => table.Find(m.Value.ToLowerInvariant())).OfType<WellKnownIdTable.Entry>().Distinct().ToList();

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<(string Path, string Value)> Strings(JsonElement element, string path) =>
        Properties(element, path).Select(p => (p.Path, p.Value));

    /// <summary>Every string of a document with the name of the property that holds it (for array items, the array's).</summary>
    private static IEnumerable<(string Path, string Property, string Value)> Properties(JsonElement element, string path, string property = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var s in Properties(p.Value, $"{path}.{p.Name}", p.Name))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var s in Properties(item, $"{path}[{i++}]", property))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValueKind.String:
                yield return (path, property, element.GetString()!);
                break;
        }
    }

    private static IEnumerable<(string Path, JsonElement Object)> Objects(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            yield return (path, element);
            foreach (var p in element.EnumerateObject())
            {
                foreach (var o in Objects(p.Value, $"{path}.{p.Name}"))
                {
                    yield return o;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                foreach (var o in Objects(item, $"{path}[{i++}]"))
                {
                    yield return o;
                }
            }
        }
    }

    private static string Relative(string file) => Path.GetRelativePath(RepoPaths.File(), file).Replace('\\', '/');

    private static int Line(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex AnyGuid();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex LowerGuid();
}
