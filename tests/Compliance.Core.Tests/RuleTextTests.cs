using Compliance.Core.Testing;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>{parameter} placeholders in a rule's title, description and remediation show the value in force.</summary>
public sealed class RuleTextTests
{
    private const string Parameters = """
        { "maxOwners": { "type": "integer", "default": 3 },
          "ports": { "type": "array", "default": [ 22, 3389 ] },
          "level": { "type": "string", "default": "TLS1_2" } }
        """;

    private static string TextPack(string title, string description = "Risk.", string remediation = "Fix it.") =>
        Pack("""{"field":"properties.owners","lessOrEquals":"[parameters('maxOwners')]"}""", parameters: Parameters)
            .Replace("\"title\": \"Test rule\",", $"\"title\": {Json(title)}, \"description\": {Json(description)}, \"remediation\": {Json(remediation)},", StringComparison.Ordinal);

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    [Fact]
    public async Task Findings_show_the_default_value_of_a_named_parameter()
    {
        var rules = Compile(TextPack("At most {maxOwners} Owners", "More than {maxOwners} Owners widen the blast radius.", "Keep {maxOwners} or fewer; ports {ports}; TLS {level}."));

        var finding = Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"owners":4}"""))));

        Assert.Equal("At most 3 Owners", finding.RuleTitle);
        Assert.Equal("Keep 3 or fewer; ports 22, 3389; TLS TLS1_2.", finding.Remediation);
        Assert.Equal("More than 3 Owners widen the blast radius.", rules.Rules[0].Rule.Description);
    }

    [Fact]
    public async Task An_override_changes_what_every_output_shows()
    {
        var pack = TextPack("At most {maxOwners} Owners", remediation: "Keep {maxOwners} or fewer.");
        var rules = Compile(pack, new Dictionary<string, string> { ["maxOwners"] = "5" });

        var finding = Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"owners":4}"""))));

        Assert.Equal(Compliance.Core.Findings.Outcome.Pass, finding.Outcome);
        Assert.Equal("At most 5 Owners", finding.RuleTitle);
        Assert.Equal("Compliant: At most 5 Owners.", finding.Reason);
        Assert.Equal("Keep 5 or fewer.", finding.Remediation);

        // The loaded pack (what 'rules list' shows) keeps the pack default.
        Assert.Equal("At most 3 Owners", Load(pack).Packs[0].Rules[0].Title);
    }

    [Fact]
    public async Task A_test_with_parameters_reports_the_title_with_its_values()
    {
        var pack = TextPack("At most {maxOwners} Owners").Replace(
            "\"condition\":",
            """ "tests": [ { "name": "five allowed", "expect": "pass", "parameters": { "maxOwners": 5 }, "resource": { "id": "/subscriptions/s1/providers/Test/things/a", "name": "a", "type": "Test/things", "properties": { "owners": 5 } } },""" +
            """ { "name": "three by default", "expect": "fail", "resource": { "id": "/subscriptions/s1/providers/Test/things/b", "name": "b", "type": "Test/things", "properties": { "owners": 5 } } } ], "condition":""",
            StringComparison.Ordinal);

        var report = await new RuleTestRunner(new FakeTimeProvider(Now)).RunAsync(Load(pack).PacksOrThrow());

        Assert.All(report.Results, r => Assert.True(r.Passed, r.Message));
        Assert.Contains("At most 5 Owners", report.Results.Single(r => r.TestName == "five allowed").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_placeholder_is_a_validation_error_with_its_place()
    {
        var pack = TextPack("At most {maxOwner} Owners");

        var d = Assert.Single(Load(pack).Diagnostics);

        Assert.Equal("pack0.json", d.Location.File);
        Assert.Equal("$.rules[0].title", d.Location.JsonPath);
        Assert.Equal(pack.Split('\n').ToList().FindIndex(l => l.Contains("{maxOwner}", StringComparison.Ordinal)) + 1, d.Location.Line);
        Assert.True(d.Location.Column > 1);
        Assert.Contains("unknown placeholder '{maxOwner}' in the title; did you mean 'maxOwners'?", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("description")]
    [InlineData("remediation")]
    public void Placeholders_are_checked_in_the_description_and_remediation(string key)
    {
        var pack = key == "description" ? TextPack("Title", description: "About {nothing}.") : TextPack("Title", remediation: "Run {nothing}.");

        var d = Assert.Single(Load(pack).Diagnostics);

        Assert.Equal($"$.rules[0].{key}", d.Location.JsonPath);
        Assert.Contains($"unknown placeholder '{{nothing}}' in the {key}", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doubled_braces_and_json_bodies_are_text()
    {
        var pack = TextPack(
            "Keep {{maxOwners}} at {maxOwners}",
            remediation: """az rest --body '{"principalId":"<id>","directoryScopeId":"/"}' and {"a":{"b":1}}""");

        var loaded = Load(pack);

        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        var rule = loaded.Packs[0].Rules[0];
        Assert.Equal("Keep {maxOwners} at 3", rule.Title);
        Assert.Equal("""az rest --body '{"principalId":"<id>","directoryScopeId":"/"}' and {"a":{"b":1}}""", rule.Remediation);
    }

    [Fact]
    public void Placeholder_names_match_in_any_case() =>
        Assert.Equal("At most 3 Owners", Load(TextPack("At most {MaxOwners} Owners")).PacksOrThrow()[0].Rules[0].Title);
}
