using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>A rule's message template: checked when the pack loads, rendered from the resource and its evidence on a fail.</summary>
public sealed class MessageTemplateTests
{
    private const string Parameters = """{ "ports": { "type": "array", "default": [ 22, 3389 ] }, "maxOwners": { "type": "integer", "default": 3 } }""";

    private const string OpenRules = """
        { "count": { "field": "properties.securityRules[*]",
                     "where": { "field": "properties.securityRules[*].properties.access", "equals": "Allow" } },
          "equals": 0 }
        """;

    private static string WithMessage(string pack, string message) =>
        pack.Replace("\"title\": \"Test rule\",", $"\"title\": \"Test rule\", \"message\": {System.Text.Json.JsonSerializer.Serialize(message)},", StringComparison.Ordinal);

    private static string Rules(params (string Name, string Access, string Source)[] rules) =>
        "{\"securityRules\":[" + string.Join(",", rules.Select(r => $$$"""{"name":"{{{r.Name}}}","properties":{"access":"{{{r.Access}}}","sourceAddressPrefix":"{{{r.Source}}}","destinationPortRanges":["22","3389"]}}""")) + "]}";

    [Fact]
    public async Task A_failing_finding_shows_its_message_filled_from_the_matching_element_and_the_parameters()
    {
        var rules = Compile(WithMessage(Pack(OpenRules, parameters: Parameters), "Inbound rule {matches} allows {match.properties.destinationPortRange|match.properties.destinationPortRanges} from {match.properties.sourceAddressPrefix} ({count} of {total}; watched ports {ports}) on {resource}"));

        var finding = Assert.Single(await ScanAsync(rules, Snapshot(Thing(Rules(("deny-all", "Deny", "*"), ("allow-rdp", "Allow", "Internet"))))));

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Equal("Inbound rule allow-rdp allows 22, 3389 from Internet (1 of 2; watched ports 22, 3389) on thing1", finding.Message);
        Assert.Contains("properties.securityRules[1]", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_matches_are_named_up_to_five_then_counted()
    {
        var rules = Compile(WithMessage(Pack(OpenRules), "Open: {matches}"));
        var open = Enumerable.Range(1, 7).Select(i => ($"r{i}", "Allow", "*")).ToArray();

        var finding = Assert.Single(await ScanAsync(rules, Snapshot(Thing(Rules(open)))));

        Assert.Equal("Open: r1, r2, r3, r4, r5 and 2 more", finding.Message);
    }

    [Fact]
    public async Task A_pass_and_an_error_have_no_message_and_a_rule_without_a_template_keeps_the_reason_only()
    {
        var withTemplate = Compile(WithMessage(Pack(OpenRules), "Open: {matches}"));
        var pass = Assert.Single(await ScanAsync(withTemplate, Snapshot(Thing(Rules(("deny", "Deny", "*"))))));
        var error = Assert.Single(await ScanAsync(withTemplate, Snapshot(Thing("""{"securityRules":"not an array"}"""))));
        var noTemplate = Assert.Single(await ScanAsync(Compile(Pack(OpenRules)), Snapshot(Thing(Rules(("allow", "Allow", "*"))))));

        Assert.Equal((Outcome.Pass, (string?)null), (pass.Outcome, pass.Message));
        Assert.Equal((Outcome.Error, (string?)null), (error.Outcome, error.Message));
        Assert.Equal(Outcome.Fail, noTemplate.Outcome);
        Assert.Null(noTemplate.Message);
    }

    [Fact]
    public async Task Observed_and_expected_come_from_the_leaf_that_failed_and_a_missing_value_falls_through_to_a_literal()
    {
        var rules = Compile(WithMessage(
            Pack("""{"field":"properties.minimumTlsVersion","in":["TLS1_2","TLS1_3"]}"""),
            "{resource} accepts {observed}; expected {expected}; encryption {resource.properties.encryption.type|'platform keys'}; tags {resource.tags.owner}"));

        var set = Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"minimumTlsVersion":"TLS1_0"}"""))));
        var missing = Assert.Single(await ScanAsync(rules, Snapshot(Thing("{}", name: "st2"))));

        Assert.Equal("thing1 accepts TLS1_0; expected one of ['TLS1_2', 'TLS1_3']; encryption platform keys; tags (not set)", set.Message);
        Assert.Equal("st2 accepts not set; expected one of ['TLS1_2', 'TLS1_3']; encryption platform keys; tags (not set)", missing.Message);
    }

    [Fact]
    public async Task Names_come_from_the_snapshot_s_display_names_and_scopes_and_ids_stay_in_the_evidence()
    {
        const string Guest = "3e9bc574-cf3a-2f9c-fe2c-891ca9e4afb0";
        const string Uaa = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
        var rules = Compile(WithMessage(
            Pack("""{"field":"properties.roleDefinitionId","notContains":"18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"}""", resourceType: "Microsoft.Authorization/roleAssignments"),
            "Guest {name(resource.properties.principalId)} holds {name(resource.properties.roleDefinitionId)} on {scope(resource.properties.scope)} ({subscription}); unknown {name(resource.properties.createdBy)}"));
        var snapshot = $$"""
            { "schemaVersion": 1, "tenantId": "t1",
              "displayNames": { "{{Guest}}": "alice@contoso.example", "{{Uaa}}": "User Access Administrator" },
              "scopes": [ { "id": "/subscriptions/s1", "displayName": "Prod", "status": "ok" } ],
              "resources": [ { "id": "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1", "name": "a1",
                               "type": "microsoft.authorization/roleassignments", "subscriptionId": "s1",
                               "properties": { "principalId": "{{Guest}}", "roleDefinitionId": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/{{Uaa}}",
                                               "scope": "/subscriptions/s1", "createdBy": "0000-unknown" } } ] }
            """;

        var finding = Assert.Single(await ScanAsync(rules, snapshot));

        Assert.Equal("Guest alice@contoso.example holds User Access Administrator on subscription Prod (Prod); unknown 0000-unknown", finding.Message);
        Assert.Contains(Uaa, Assert.Single(finding.Evidence).Observed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_related_count_gives_its_count_and_the_names_of_what_it_matched_even_for_a_resource_that_waits_in_memory()
    {
        var pack = WithMessage(
            Pack("""{"related":{"type":"Test/assignments","scope":"children","where":{"field":"properties.role","equals":"Owner"}},"lessOrEquals":"[parameters('maxOwners')]"}""", parameters: Parameters),
            "{resource.properties.label} has {count} Owners (at most {maxOwners}): {name(matches.properties.principalId)}");
        var snapshot = """
            { "schemaVersion": 1, "tenantId": "t1", "displayNames": { "p1": "anna", "p2": "bram" },
              "resources": [
                { "id": "/subscriptions/s1/resourceGroups/rg/providers/Test/things/thing1", "name": "thing1", "type": "Test/things", "properties": { "label": "Thing One", "other": 1 } },
            """ + string.Join(",", Enumerable.Range(1, 4).Select(i => $$"""
                { "id": "/subscriptions/s1/resourceGroups/rg/providers/Test/things/thing1/assignments/a{{i}}", "name": "a{{i}}", "type": "Test/assignments", "properties": { "role": "Owner", "principalId": "p{{i}}" } }
            """)) + "] }";

        var finding = Assert.Single(await ScanAsync(Compile(pack), snapshot));

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Equal("Thing One has 4 Owners (at most 3): anna, bram, p3, p4", finding.Message);
    }

    [Fact]
    public async Task An_override_changes_the_parameter_a_message_shows()
    {
        var rules = Compile(WithMessage(Pack(OpenRules, parameters: Parameters), "ports {ports}"), new Dictionary<string, string> { ["ports"] = "[443]" });

        Assert.Equal("ports 443", Assert.Single(await ScanAsync(rules, Snapshot(Thing(Rules(("a", "Allow", "*")))))).Message);
    }

    [Theory]
    [InlineData("Rule {matchs} is open", "unknown placeholder 'matchs'; did you mean 'match'?")]
    [InlineData("Ports {port}", "unknown placeholder 'port'; did you mean 'ports'?")]
    [InlineData("On {resource.properties..x}", "is not a path")]
    [InlineData("Seen {count.value}", "'count' takes no path")]
    [InlineData("Open {matches", "a '{' without its '}' (write {{ for a literal brace)")]
    [InlineData("Open matches}", "a '}' without its '{'")]
    [InlineData("Who {name(resource.properties.principalId}", "missing its closing ')'")]
    public void A_placeholder_that_cannot_be_shown_is_a_validation_error_with_file_line_column_and_path(string message, string expected)
    {
        var pack = WithMessage(Pack(OpenRules, parameters: Parameters), message);

        var d = Assert.Single(Load(pack).Diagnostics);

        Assert.Equal("pack0.json", d.Location.File);
        Assert.Equal("$.rules[0].message", d.Location.JsonPath);
        Assert.Equal(pack.Split('\n').ToList().FindIndex(l => l.Contains("\"message\"", StringComparison.Ordinal)) + 1, d.Location.Line);
        Assert.True(d.Location.Column > 1);
        Assert.Contains(expected, d.Message, StringComparison.Ordinal);
        Assert.Contains("of the message", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doubled_braces_are_literal_and_quoted_text_may_hold_a_bar()
    {
        var rules = Compile(WithMessage(Pack(OpenRules), "{{json}} {resource.properties.nothing|'a | b'}"));

        Assert.Equal("{json} a | b", Assert.Single(await ScanAsync(rules, Snapshot(Thing(Rules(("a", "Allow", "*")))))).Message);
    }
}
