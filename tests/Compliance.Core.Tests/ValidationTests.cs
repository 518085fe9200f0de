using Compliance.Core.Rules;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>Every kind of pack problem is reported with file, line, column, JSON path and what is expected.</summary>
public sealed class ValidationTests
{
    private static IReadOnlyList<RuleDiagnostic> Problems(string pack, IReadOnlyDictionary<string, string>? fixtures = null) =>
        RulePackLoader.Load([Input(pack, "rules/p.json", fixtures)]).Diagnostics;

    private static RuleDiagnostic Single(string pack) => Assert.Single(Problems(pack));

    [Fact]
    public void A_valid_pack_has_no_problems() =>
        Assert.Empty(Problems(Pack("""{"field":"properties.v","equals":"x"}""")));

    [Fact]
    public void Invalid_json_names_line_and_column()
    {
        var d = Single("{\n  \"id\": \"p\",\n  \"title\": \"x\" \"version\": \"1.0.0\"\n}");

        Assert.Equal("rules/p.json", d.Location.File);
        Assert.Equal(3, d.Location.Line);
        Assert.Contains("invalid JSON", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_operator_is_named_with_a_suggestion_and_its_position()
    {
        var pack = Pack("""
            {
              "field": "properties.v",
              "equal": "x"
            }
            """);
        var d = Single(pack);

        Assert.Equal("$.rules[0].condition.equal", d.Location.JsonPath);
        Assert.Contains("unknown key 'equal'; did you mean 'equals'?", d.Message, StringComparison.Ordinal);
        var line = pack.Split('\n').ToList().FindIndex(l => l.Contains("\"equal\"", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, d.Location.Line);
        Assert.True(d.Location.Column > 1);
    }

    [Theory]
    [InlineData("""{"field":"properties.v","in":"TLS1_2"}""", "'in' expects an array of values, not a string")]
    [InlineData("""{"field":"properties.v","exists":"maybe"}""", "'exists' expects true or false, not 'maybe'")]
    [InlineData("""{"field":"properties.v","like":5}""", "'like' expects a string pattern, not a number")]
    [InlineData("""{"field":"properties.v","coversPort":"http"}""", "'coversPort' expects a port number (0-65535) or an array of them")]
    [InlineData("""{"field":"properties.v","coversPort":70000}""", "'coversPort' expects a port number")]
    [InlineData("""{"field":"properties.v","less":{"a":1}}""", "'less' expects a number, date or string, not an object")]
    [InlineData("""{"count":{"field":"properties.r[*]"},"like":"1"}""", "'like' cannot compare a count")]
    [InlineData("""{"count":{"field":"properties.r[*]"},"equals":"one"}""", "compares a count with a number")]
    public void An_operator_given_the_wrong_kind_of_value_says_what_it_expects(string condition, string message) =>
        Assert.Contains(message, Single(Pack(condition)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("14 days")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("14D")]
    public void An_invalid_duration_is_reported(string duration)
    {
        var d = Single(Pack($$"""{"field":"properties.v","olderThan":"{{duration}}"}"""));

        Assert.Contains("ISO-8601 duration such as P14D", d.Message, StringComparison.Ordinal);
        Assert.Equal("$.rules[0].condition.olderThan", d.Location.JsonPath);
    }

    [Fact]
    public void An_unknown_parameter_lists_the_declared_ones()
    {
        var d = Single(Pack("""{"field":"properties.v","equals":"[parameters('maxOwner')]"}""", parameters: """{"maxOwners":{"type":"integer","default":3}}"""));

        Assert.Contains("unknown parameter 'maxOwner'; did you mean 'maxOwners'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_of_the_wrong_kind_for_its_operator_is_reported_at_the_reference()
    {
        var d = Single(Pack("""{"field":"properties.v","in":"[parameters('one')]"}""", parameters: """{"one":{"type":"string","default":"x"}}"""));

        Assert.Contains("'in' expects an array of values, not a string (from parameter 'one')", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_default_of_the_wrong_type_is_reported()
    {
        var d = Single(Pack("""{"field":"properties.v","equals":1}""", parameters: """{"n":{"type":"integer","default":"ten"}}"""));

        Assert.Equal("$.parameters.n.default", d.Location.JsonPath);
        Assert.Contains("the parameter's type is integer", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"count":{"field":"properties.rules"},"equals":0}""", "must end with [*]")]
    [InlineData("""{"field":"name[*]","equals":"a"}""", "'name' holds a single value, so '[*]' cannot apply")]
    [InlineData("""{"field":"properties.v","equals":"[resource('properties.a[*]')]"}""", "[*] cannot apply in resource(")]
    [InlineData("""{"field":"properties.v","equals":"[resource('tags[*]')]"}""", "[*] cannot apply in resource(")]
    public void A_star_path_where_it_cannot_apply_is_reported(string condition, string message) =>
        Assert.Contains(message, Single(Pack(condition)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"field":"properties.a[","equals":1}""", "is not closed")]
    [InlineData("""{"field":"properties..a","equals":1}""", "unexpected '.'")]
    [InlineData("""{"field":"Microsoft.Storage/storageAccounts/minimumTlsVersion","equals":1}""", "looks like an Azure Policy alias")]
    [InlineData("""{"field":"properties.v"}""", "missing operator")]
    [InlineData("""{"equals":1}""", "missing left side")]
    [InlineData("""{"field":"properties.v","value":1,"equals":1}""", "has one left side")]
    [InlineData("""{"field":"properties.v","equals":1,"notEquals":2}""", "has one operator")]
    [InlineData("""{"allOf":[{"field":"properties.v","equals":1}],"field":"x"}""", "must stand alone")]
    [InlineData("""{"allOf":[]}""", "needs at least 1 item")]
    [InlineData("""{"field":"properties.v","equals":"[reference('a')]"}""", "unsupported function 'reference()'")]
    [InlineData("""{"field":"properties.v","equals":"[current('x')]"}""", "names no enclosing value count")]
    [InlineData("""{"related":{"type":"Microsoft.Sql/servers/firewallRules","scope":"everywhere"},"equals":0}""", "is not one of 'children', 'resourceGroup', 'subscription', 'tenant'")]
    public void Malformed_conditions_are_explained(string condition, string message) =>
        Assert.Contains(Problems(Pack(condition)), d => d.Message.Contains(message, StringComparison.Ordinal));

    [Fact]
    public void Schema_problems_name_the_property_and_the_allowed_values()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace("\"severity\": \"high\"", "\"severity\": \"hgh\", \"severty\": \"x\"", StringComparison.Ordinal);
        var problems = Problems(pack);

        Assert.Contains(problems, d => d.Location.JsonPath == "$.rules[0].severity" && d.Message.Contains("'hgh' is not one of 'critical', 'high'", StringComparison.Ordinal));
        Assert.Contains(problems, d => d.Location.JsonPath == "$.rules[0].severty" && d.Message.Contains("did you mean 'severity'?", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_required_property_is_named()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace("\"category\": \"firewall\",", string.Empty, StringComparison.Ordinal);

        Assert.Contains(Problems(pack), d => d.Location.JsonPath == "$.rules[0]" && d.Message == "missing required property 'category'");
    }

    [Fact]
    public void All_problems_of_a_file_are_reported_at_once_in_line_order()
    {
        var pack = Pack("""
            {"allOf":[
              {"field":"properties.a","in":"x"},
              {"field":"properties.b","olderThan":"soon"},
              {"field":"properties.c","equals":"[parameters('nope')]"}
            ]}
            """);
        var problems = Problems(pack);

        Assert.Equal(3, problems.Count);
        Assert.Equal(problems.OrderBy(p => p.Location.Line).Select(p => p.Location.Line), problems.Select(p => p.Location.Line));
    }

    [Fact]
    public void Duplicate_rule_ids_across_packs_name_both_places()
    {
        var first = Pack("""{"field":"properties.v","equals":1}""", ruleId: "DUP-001");
        var second = Pack("""{"field":"properties.v","equals":2}""", ruleId: "DUP-001").Replace("\"id\": \"test\"", "\"id\": \"other\"", StringComparison.Ordinal);
        var result = RulePackLoader.Load([Input(first, "a.json"), Input(second, "b.json")]);

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("b.json", d.Location.File);
        Assert.Contains("duplicate rule id 'DUP-001': already defined at a.json:", d.Message, StringComparison.Ordinal);
        Assert.Single(result.Packs);
    }

    [Fact]
    public void A_missing_fixture_file_is_reported_and_an_existing_one_is_not()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace(
            "\"condition\":",
            """" "tests": [ { "name": "a", "expect": "pass", "file": "fixtures/a.json" }, { "name": "b", "expect": "fail", "file": "fixtures/missing.json" } ], "condition":"""",
            StringComparison.Ordinal);
        var problems = Problems(pack, new Dictionary<string, string> { ["fixtures/a.json"] = "{}" });

        var d = Assert.Single(problems);
        Assert.Equal("$.rules[0].tests[1].file", d.Location.JsonPath);
        Assert.Contains("'fixtures/missing.json' does not exist", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_based_rule_needs_a_pinned_evaluation_time_in_its_tests()
    {
        var pack = Pack("""{"field":"properties.v","newerThan":"P7D"}""").Replace(
            "\"condition\":",
            """" "tests": [ { "name": "unpinned", "expect": "pass", "resource": {"id":"x","type":"Test/things"} } ], "condition":"""",
            StringComparison.Ordinal);

        Assert.Contains(Problems(pack), d => d.Message.Contains("needs \"asOf\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"collectedAt":"2026-11-27T00:00:00Z","resources":[]}""", false)]
    [InlineData("""{"schemaVersion":1,"resources":[]}""", true)]
    [InlineData("""{"id":"x","type":"Test/things"}""", true)]
    public void A_time_based_rule_may_take_its_time_from_a_snapshot_fixture_with_collectedAt(string fixture, bool reported)
    {
        var pack = Pack("""{"field":"properties.v","newerThan":"P7D"}""").Replace(
            "\"condition\":",
            """ "tests": [ { "name": "from a file", "expect": "pass", "file": "fixtures/f.json" } ], "condition":""",
            StringComparison.Ordinal);

        var problems = Problems(pack, new Dictionary<string, string> { ["fixtures/f.json"] = fixture });

        Assert.Equal(reported, problems.Any(d => d.Message.Contains("needs \"asOf\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_misspelt_framework_name_is_caught()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace(
            "\"condition\":",
            """" "controls": { "NIST-800-53r5": ["AC-6"], "ACME-INTERNAL": ["SEC-1"] }, "condition":"""",
            StringComparison.Ordinal);

        var d = Single(pack);
        Assert.Contains("did you mean 'NIST-800-53-r5'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnostics_print_like_compiler_messages()
    {
        var d = Single(Pack("""{"field":"properties.v","in":"x"}"""));

        Assert.Matches(@"^rules/p\.json:\d+:\d+: \$\.rules\[0\]\.condition\.in: 'in' expects", d.ToString());
    }

    [Fact]
    public void A_rule_carries_its_notes_on_absent_properties()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace(
            "\"condition\":",
            """ "notes": "v absent: Azure uses 1 (https://learn.microsoft.com/x)", "condition":""",
            StringComparison.Ordinal);

        var loaded = RulePackLoader.Load([Input(pack)]);

        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        Assert.Equal("v absent: Azure uses 1 (https://learn.microsoft.com/x)", loaded.Packs[0].Rules[0].Notes);
    }

    [Fact]
    public void Notes_are_a_string()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""").Replace("\"condition\":", """ "notes": ["a"], "condition":""", StringComparison.Ordinal);

        var d = Single(pack);
        Assert.Equal("$.rules[0].notes", d.Location.JsonPath);
        Assert.Contains("expected a string", d.Message, StringComparison.Ordinal);
    }
}
