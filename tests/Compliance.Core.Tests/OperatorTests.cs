using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>The operators one by one, with Azure Policy's documented semantics.</summary>
public sealed class OperatorTests
{
    [Theory]
    [InlineData("""{"field":"properties.v","equals":"TLS1_2"}""", """{"v":"tls1_2"}""", Outcome.Pass)] // case-insensitive
    [InlineData("""{"field":"properties.v","equals":"TLS1_2"}""", """{"v":"TLS1_0"}""", Outcome.Fail)]
    [InlineData("""{"field":"properties.v","equals":"TLS1_2"}""", """{}""", Outcome.Fail)] // missing is null
    [InlineData("""{"field":"properties.v","equals":true}""", """{"v":"True"}""", Outcome.Pass)] // booleans equal "true"
    [InlineData("""{"field":"properties.v","equals":"false"}""", """{"v":false}""", Outcome.Pass)]
    [InlineData("""{"field":"properties.v","equals":true}""", """{"v":"yes"}""", Outcome.Fail)]
    [InlineData("""{"field":"properties.v","equals":22}""", """{"v":"22"}""", Outcome.Pass)] // numbers equal numeric strings
    [InlineData("""{"field":"properties.v","equals":1.5}""", """{"v":1.50}""", Outcome.Pass)]
    [InlineData("""{"field":"properties.v","equals":"a"}""", """{"v":{"a":1}}""", Outcome.Error)] // object against string
    [InlineData("""{"field":"properties.v","equals":5}""", """{"v":[5]}""", Outcome.Error)] // array against number
    [InlineData("""{"field":"properties.v","equals":{"A":1}}""", """{"v":{"a":1}}""", Outcome.Pass)] // deep equality, keys any case
    public async Task Equals_compares_like_Azure_Policy(string condition, string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync(condition, properties));

    [Theory]
    [InlineData("""{}""", Outcome.Pass)] // notEquals on a missing field is true
    [InlineData("""{"v":"Enabled"}""", Outcome.Fail)]
    [InlineData("""{"v":"enabled"}""", Outcome.Fail)]
    [InlineData("""{"v":"Disabled"}""", Outcome.Pass)]
    [InlineData("""{"v":{"x":1}}""", Outcome.Error)]
    public async Task NotEquals_is_the_negation_of_equals_and_keeps_errors(string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync("""{"field":"properties.v","notEquals":"Enabled"}""", properties));

    [Theory]
    [InlineData("prod-*", "PROD-web", Outcome.Pass)]
    [InlineData("prod-*", "dev-web", Outcome.Fail)]
    [InlineData("*-web-*", "a-web-01", Outcome.Pass)]
    [InlineData("*.vault.azure.net", "kv1.vault.azure.net", Outcome.Pass)]
    [InlineData("*.vault.azure.net", "kv1Xvault.azure.net", Outcome.Fail)] // '.' is literal in like
    [InlineData("exact", "exact", Outcome.Pass)]
    [InlineData("exact", "exactly", Outcome.Fail)] // the whole value must match
    public async Task Like_matches_star_wildcards_case_insensitively(string pattern, string value, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync($$"""{"field":"properties.v","like":"{{pattern}}"}""", $$"""{"v":"{{value}}"}"""));

    [Fact]
    public async Task NotLike_on_a_missing_field_is_true_and_like_is_false()
    {
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.v","like":"*"}""", "{}"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.v","notLike":"*"}""", "{}"));
    }

    [Theory]
    [InlineData("match", "vm-##", "vm-07", Outcome.Pass)] // # is a digit
    [InlineData("match", "vm-##", "vm-7a", Outcome.Fail)]
    [InlineData("match", "??-#", "ab-1", Outcome.Pass)] // ? is a letter
    [InlineData("match", "??-#", "a1-1", Outcome.Fail)]
    [InlineData("match", "a.c", "abc", Outcome.Pass)] // . is any character
    [InlineData("match", "a.c", "a-c", Outcome.Pass)]
    [InlineData("match", "Prod", "prod", Outcome.Fail)] // match is case-sensitive
    [InlineData("matchInsensitively", "Prod", "prod", Outcome.Pass)]
    [InlineData("notMatch", "Prod", "prod", Outcome.Pass)]
    [InlineData("notMatchInsensitively", "Prod", "prod", Outcome.Fail)]
    [InlineData("match", "ab", "abc", Outcome.Fail)] // the whole value must match
    public async Task Match_uses_hash_question_mark_and_dot(string op, string pattern, string value, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync($$"""{"field":"properties.v","{{op}}":"{{pattern}}"}""", $$"""{"v":"{{value}}"}"""));

    [Theory]
    [InlineData("""{"v":"Allow-From-Internet"}""", "internet", Outcome.Pass)] // substring, any case
    [InlineData("""{"v":"deny"}""", "internet", Outcome.Fail)]
    [InlineData("""{"v":["mfa","compliantDevice"]}""", "MFA", Outcome.Pass)] // array membership
    [InlineData("""{"v":["block"]}""", "mfa", Outcome.Fail)]
    [InlineData("""{}""", "mfa", Outcome.Fail)]
    [InlineData("""{"v":{"mfa":true}}""", "mfa", Outcome.Error)]
    public async Task Contains_finds_substrings_and_array_elements(string properties, string part, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync($$"""{"field":"properties.v","contains":"{{part}}"}""", properties));

    [Fact]
    public async Task NotContains_is_true_on_a_missing_field() =>
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.v","notContains":"x"}""", "{}"));

    [Theory]
    [InlineData("""{"v":"tls1_3"}""", Outcome.Pass)]
    [InlineData("""{"v":"TLS1_0"}""", Outcome.Fail)]
    [InlineData("""{}""", Outcome.Fail)]
    [InlineData("""{"v":["TLS1_2"]}""", Outcome.Error)] // 'in' compares one value
    public async Task In_compares_one_value_with_a_list(string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync("""{"field":"properties.v","in":["TLS1_2","TLS1_3"]}""", properties));

    [Theory]
    [InlineData("""{}""", Outcome.Pass)] // notIn on a missing field is true
    [InlineData("""{"v":"TLS1_2"}""", Outcome.Fail)]
    public async Task NotIn_negates_in(string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync("""{"field":"properties.v","notIn":["TLS1_2"]}""", properties));

    [Theory]
    [InlineData("""{"field":"tags","containsKey":"Owner"}""", Outcome.Pass)] // tag names any case
    [InlineData("""{"field":"tags","containsKey":"cost"}""", Outcome.Fail)]
    [InlineData("""{"field":"tags","notContainsKey":"cost"}""", Outcome.Pass)]
    [InlineData("""{"field":"tags['OWNER']","equals":"team-a"}""", Outcome.Pass)]
    [InlineData("""{"field":"tags.owner","equals":"team-a"}""", Outcome.Pass)]
    [InlineData("""{"field":"tags[owner]","equals":"team-a"}""", Outcome.Pass)]
    [InlineData("""{"field":"name","containsKey":"x"}""", Outcome.Error)] // not an object
    public async Task Tags_and_keys_match_case_insensitively(string condition, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync(condition, "{}", extra: ",\"tags\":{\"owner\":\"team-a\"}"));

    [Theory]
    [InlineData("less", "5", """{"v":4}""", Outcome.Pass)]
    [InlineData("less", "5", """{"v":5}""", Outcome.Fail)]
    [InlineData("lessOrEquals", "5", """{"v":5}""", Outcome.Pass)]
    [InlineData("greater", "5", """{"v":"6"}""", Outcome.Pass)] // numeric string against a number
    [InlineData("greaterOrEquals", "5", """{"v":4.5}""", Outcome.Fail)]
    [InlineData("greater", "\"2026-01-01T00:00:00Z\"", """{"v":"2026-06-01T10:00:00Z"}""", Outcome.Pass)] // dates
    [InlineData("less", "\"2026-01-01T00:00:00Z\"", """{"v":"not a date"}""", Outcome.Error)] // a date that does not parse
    [InlineData("less", "\"TLS1_2\"", """{"v":"tls1_0"}""", Outcome.Pass)] // strings, any case
    [InlineData("less", "5", """{"v":{"n":1}}""", Outcome.Error)] // a number against an object
    [InlineData("less", "5", """{"v":true}""", Outcome.Error)]
    [InlineData("less", "5", """{}""", Outcome.Fail)] // missing is not less than anything
    public async Task Ordering_operators_compare_numbers_dates_and_strings(string op, string expected, string properties, Outcome outcome) =>
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","{{op}}":{{expected}}}""", properties));

    [Theory]
    [InlineData("""{"v":"x"}""", true, Outcome.Pass)]
    [InlineData("""{"v":""}""", true, Outcome.Pass)]
    [InlineData("""{}""", true, Outcome.Fail)]
    [InlineData("""{"v":null}""", true, Outcome.Fail)] // JSON null counts as missing
    [InlineData("""{}""", false, Outcome.Pass)]
    [InlineData("""{"v":false}""", false, Outcome.Fail)]
    public async Task Exists_checks_presence(string properties, bool exists, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync($$"""{"field":"properties.v","exists":{{(exists ? "true" : "false")}}}""", properties));

    [Theory]
    [InlineData("olderThan", "P90D", "2026-08-01T00:00:00Z", Outcome.Pass)]
    [InlineData("olderThan", "P90D", "2026-11-01T00:00:00Z", Outcome.Fail)]
    [InlineData("newerThan", "P7D", "2026-11-25T00:00:00Z", Outcome.Pass)]
    [InlineData("newerThan", "P7D", "2026-11-19T23:59:59Z", Outcome.Fail)]
    [InlineData("newerThan", "PT12H", "2026-11-26T13:00:00Z", Outcome.Pass)]
    [InlineData("olderThan", "P1Y", "2025-11-26T00:00:00Z", Outcome.Pass)]
    [InlineData("olderThan", "P1M", "2026-10-28T00:00:00Z", Outcome.Fail)]
    [InlineData("olderThan", "P2W", "2026-11-10T00:00:00Z", Outcome.Pass)]
    public async Task Time_operators_use_the_evaluation_clock(string op, string duration, string when, Outcome expected)
    {
        // The harness evaluates at 2026-11-27T00:00:00Z.
        var finding = await EvaluateAsync($$"""{"field":"properties.v","{{op}}":"{{duration}}"}""", $$"""{"v":"{{when}}"}""");
        Assert.Equal(expected, finding.Outcome);
    }

    [Fact]
    public async Task A_date_that_does_not_parse_is_an_error_with_its_reason()
    {
        var finding = await EvaluateAsync("""{"field":"properties.expiry","olderThan":"P30D"}""", """{"expiry":"soon"}""");

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("'soon' is not an ISO-8601 date", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_operators_on_a_missing_field_are_false()
    {
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.v","olderThan":"P1D"}""", "{}"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.v","newerThan":"P1D"}""", "{}"));
    }

    [Theory]
    [InlineData("\"*\"", 3389, true)]
    [InlineData("\"3389\"", 3389, true)]
    [InlineData("3389", 3389, true)]
    [InlineData("\"3000-4000\"", 3389, true)]
    [InlineData("\"3390-4000\"", 3389, false)]
    [InlineData("[\"22\",\"3389\"]", 3389, true)]
    [InlineData("[\"22\",\"80-443\"]", 3389, false)]
    [InlineData("[]", 3389, false)]
    [InlineData("\"\"", 3389, false)] // "" beside a ...Ranges list: not set, covers nothing
    [InlineData("\"  \"", 3389, false)]
    [InlineData("[\"\",\"3389\"]", 3389, true)]
    [InlineData("\"Any\"", 22, true)]
    public async Task CoversPort_understands_single_ports_ranges_lists_and_star(string value, int port, bool covered)
    {
        var outcome = await OutcomeAsync($$"""{"field":"properties.p","coversPort":{{port}}}""", $$"""{"p":{{value}}}""");
        Assert.Equal(covered ? Outcome.Pass : Outcome.Fail, outcome);
    }

    [Fact]
    public async Task CoversPort_accepts_a_list_of_ports_and_reports_bad_port_values_as_errors()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.p","coversPort":[1433,3306]}""", """{"p":"3300-3310"}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.p","coversPort":[1433,3306]}""", """{"p":"5432"}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.p","coversPort":22}""", "{}"));
        Assert.Equal(Outcome.Error, await OutcomeAsync("""{"field":"properties.p","coversPort":22}""", """{"p":"ssh"}"""));
        Assert.Equal(Outcome.Error, await OutcomeAsync("""{"field":"properties.p","coversPort":22}""", """{"p":"40-20"}"""));
    }

    [Fact]
    public async Task An_empty_port_beside_a_port_list_is_not_set_and_no_error()
    {
        // The shape ARM returns for a security rule that lists its ports: the singular is "".
        const string Condition = """
            {"anyOf":[{"field":"properties.destinationPortRange","coversPort":3389},{"field":"properties.destinationPortRanges","coversPort":3389}]}
            """;
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Condition, """{"destinationPortRange":"","destinationPortRanges":["3389","443"],"sourceAddressPrefix":"","sourceAddressPrefixes":["0.0.0.0/0"]}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync(Condition, """{"destinationPortRange":"","destinationPortRanges":["80","443"],"sourceAddressPrefix":"","sourceAddressPrefixes":["0.0.0.0/0"]}"""));
    }

    [Fact]
    public async Task Value_conditions_compare_literals_and_parameters()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"value":"[parameters('on')]","equals":true}""", "{}", parameters: """{"on":{"type":"boolean","default":true}}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"value":"[parameters('on')]","equals":true}""", "{}", parameters: """{"on":{"type":"boolean","default":false}}"""));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"value":"[field('properties.a')]","equals":"[field('properties.b')]"}""", """{"a":"X","b":"x"}"""));
    }

    [Fact]
    public async Task A_literal_starting_with_a_bracket_is_escaped_with_two_brackets() =>
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.v","equals":"[[literal]"}""", """{"v":"[literal]"}"""));

    [Fact]
    public async Task Property_names_match_case_insensitively() =>
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"Properties.MinimumTlsVersion","equals":"TLS1_2"}""", """{"minimumTlsVersion":"TLS1_2"}"""));

    [Fact]
    public async Task Logic_uses_allOf_anyOf_and_not()
    {
        const string Props = """{"a":1,"b":2}""";
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"allOf":[{"field":"properties.a","equals":1},{"field":"properties.b","equals":2}]}""", Props));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"allOf":[{"field":"properties.a","equals":1},{"field":"properties.b","equals":3}]}""", Props));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"anyOf":[{"field":"properties.a","equals":9},{"field":"properties.b","equals":2}]}""", Props));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"not":{"field":"properties.a","equals":9}}""", Props));
    }

    [Fact]
    public async Task An_error_leaf_does_not_hide_a_decided_result()
    {
        // allOf with a false leaf is false whatever the error; anyOf with a true leaf is true.
        const string Props = """{"a":1,"o":{"x":1}}""";
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"allOf":[{"field":"properties.o","equals":"x"},{"field":"properties.a","equals":2}]}""", Props));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"anyOf":[{"field":"properties.o","equals":"x"},{"field":"properties.a","equals":1}]}""", Props));
        Assert.Equal(Outcome.Error, await OutcomeAsync("""{"allOf":[{"field":"properties.o","equals":"x"},{"field":"properties.a","equals":1}]}""", Props));
        Assert.Equal(Outcome.Error, await OutcomeAsync("""{"not":{"field":"properties.o","equals":"x"}}""", Props));
    }
}
