using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>[*] paths (every element) and count (any / none / how many), as Azure Policy documents them.</summary>
public sealed class WildcardAndCountTests
{
    private const string AllDeny = """{"field":"properties.rules[*].access","equals":"Deny"}""";

    [Theory]
    [InlineData("""{"rules":[{"access":"Deny"},{"access":"deny"}]}""", Outcome.Pass)]
    [InlineData("""{"rules":[{"access":"Deny"},{"access":"Allow"}]}""", Outcome.Fail)]
    [InlineData("""{"rules":[]}""", Outcome.Pass)] // an empty array satisfies [*]: every element (none) holds
    [InlineData("""{}""", Outcome.Fail)] // a missing array is not iterable: the condition is not met
    [InlineData("""{"rules":null}""", Outcome.Fail)] // nor is null
    [InlineData("""{"rules":"Deny"}""", Outcome.Fail)] // nor a value that is not an array
    [InlineData("""{"rules":{"access":"Deny"}}""", Outcome.Fail)]
    [InlineData("""{"rules":[{"access":"Deny"},{}]}""", Outcome.Fail)] // an element without the property is null
    public async Task A_star_path_must_hold_for_every_element_of_an_array_that_exists(string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync(AllDeny, properties));

    [Theory]
    [InlineData("""{"groups":[{"tags":["ok"]},{"tags":["OK"]}]}""", Outcome.Pass)]
    [InlineData("""{"groups":[{"tags":[]},{"tags":[]}]}""", Outcome.Pass)] // inner arrays empty: vacuously true
    [InlineData("""{"groups":[{"tags":["ok"]},{"other":1}]}""", Outcome.Fail)] // one inner array missing
    [InlineData("""{"groups":[{"other":1},{"other":2}]}""", Outcome.Fail)]
    [InlineData("""{"groups":[]}""", Outcome.Pass)]
    [InlineData("""{}""", Outcome.Fail)]
    public async Task Nested_star_paths_are_not_iterable_when_an_inner_array_is_missing(string properties, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync("""{"field":"properties.groups[*].tags[*]","equals":"ok"}""", properties));

    [Fact]
    public async Task Not_over_a_missing_array_holds()
    {
        // The inner condition is false (not iterable), so its negation is true: the trap of not + [*].
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"not":{"field":"properties.rules[*].access","equals":"Allow"}}""", "{}"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"not":{"field":"properties.rules[*].access","notEquals":"Allow"}}""", "{}"));
    }

    [Fact]
    public async Task Exists_false_under_a_star_path_distinguishes_empty_and_missing_arrays()
    {
        const string NoNsg = """{"field":"properties.subnets[*].properties.networkSecurityGroup","exists":false}""";
        Assert.Equal(Outcome.Pass, await OutcomeAsync(NoNsg, """{"subnets":[]}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync(NoNsg, "{}"));
        Assert.Equal(Outcome.Pass, await OutcomeAsync(NoNsg, """{"subnets":[{"properties":{}}]}"""));
    }

    [Fact]
    public async Task A_star_with_nothing_to_iterate_says_what_is_missing()
    {
        var missing = await EvaluateAsync(AllDeny, "{}");
        var notArray = await EvaluateAsync(AllDeny, """{"rules":"Deny"}""");

        Assert.Equal(Outcome.Fail, missing.Outcome);
        Assert.Contains("properties.rules[*].access has nothing to iterate (properties.rules is missing)", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(Outcome.Fail, notArray.Outcome);
        Assert.Contains("(properties.rules is a string, not an array)", notArray.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_over_something_that_is_not_an_array_is_an_error_and_a_missing_one_counts_zero()
    {
        const string Count = """{"count":{"field":"properties.rules[*]"},"equals":0}""";
        var finding = await EvaluateAsync(Count, """{"rules":"Deny"}""");

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("not an array", finding.Reason, StringComparison.Ordinal);
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Count, "{}"));
    }

    [Fact]
    public async Task NotEquals_under_a_star_path_checks_each_element()
    {
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.rules[*].access","notEquals":"Allow"}""", """{"rules":[{"access":"Deny"},{"access":"Allow"}]}"""));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.rules[*].access","notEquals":"Allow"}""", """{"rules":[{"access":"Deny"},{}]}"""));
    }

    [Fact]
    public async Task Failing_elements_are_named_by_index_in_the_evidence()
    {
        var finding = await EvaluateAsync(AllDeny, """{"rules":[{"access":"Deny"},{"access":"Allow"},{"access":"Allow"}]}""");

        Assert.Equal(["properties.rules[1].access", "properties.rules[2].access"], finding.Evidence.Select(e => e.Path));
        Assert.All(finding.Evidence, e => Assert.Equal("'Allow'", e.Observed));
    }

    [Theory]
    [InlineData("""{"rules":[{"access":"Deny"},{"access":"Allow"}]}""", "greater", 0, Outcome.Pass)] // any
    [InlineData("""{"rules":[{"access":"Deny"}]}""", "greater", 0, Outcome.Fail)]
    [InlineData("""{"rules":[{"access":"Allow"}]}""", "equals", 0, Outcome.Fail)] // none
    [InlineData("""{"rules":[]}""", "equals", 0, Outcome.Pass)]
    [InlineData("""{}""", "equals", 0, Outcome.Pass)] // a missing array counts 0
    [InlineData("""{"rules":[{"access":"Allow"},{"access":"allow"}]}""", "equals", 2, Outcome.Pass)]
    public async Task Count_expresses_any_and_none(string properties, string op, int n, Outcome expected)
    {
        var condition = $$$"""{"count":{"field":"properties.rules[*]","where":{"field":"properties.rules[*].access","equals":"Allow"}},"{{{op}}}":{{{n}}}}""";
        Assert.Equal(expected, await OutcomeAsync(condition, properties));
    }

    [Fact]
    public async Task Count_without_where_counts_all_elements() =>
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"count":{"field":"properties.rules[*]"},"in":[2,3]}""", """{"rules":[1,2,3]}"""));

    [Fact]
    public async Task Count_where_can_combine_several_properties_of_the_same_element()
    {
        // Element 0 is Allow on 22, element 1 is Deny on 3389: no single element is Allow on 3389.
        const string Condition = """
            {"count":{"field":"properties.rules[*]","where":{"allOf":[
              {"field":"properties.rules[*].access","equals":"Allow"},
              {"field":"properties.rules[*].port","coversPort":3389}]}},"equals":0}
            """;
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Condition, """{"rules":[{"access":"Allow","port":"22"},{"access":"Deny","port":"3389"}]}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync(Condition, """{"rules":[{"access":"Allow","port":"3000-4000"}]}"""));
    }

    [Fact]
    public async Task Nested_counts_bind_each_level_to_its_own_element()
    {
        const string Condition = """
            {"count":{"field":"properties.rules[*]","where":{"allOf":[
              {"field":"properties.rules[*].access","equals":"Allow"},
              {"count":{"field":"properties.rules[*].sources[*]","where":{"field":"properties.rules[*].sources[*]","in":["*","Internet"]}},"greater":0}]}},
             "equals":0}
            """;
        Assert.Equal(Outcome.Fail, await OutcomeAsync(Condition, """{"rules":[{"access":"Deny","sources":["*"]},{"access":"Allow","sources":["10.0.0.0/8","internet"]}]}"""));
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Condition, """{"rules":[{"access":"Deny","sources":["*"]},{"access":"Allow","sources":["10.0.0.0/8"]}]}"""));
    }

    [Fact]
    public async Task A_path_outside_the_counted_array_reads_the_resource()
    {
        const string Condition = """{"count":{"field":"properties.rules[*]","where":{"field":"properties.rules[*].name","equals":"[field('properties.expected')]"}},"equals":1}""";
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Condition, """{"expected":"b","rules":[{"name":"a"},{"name":"B"}]}"""));
    }

    [Fact]
    public async Task Count_evidence_lists_the_matching_elements_by_path_and_name()
    {
        var finding = await EvaluateAsync(
            """{"count":{"field":"properties.rules[*]","where":{"field":"properties.rules[*].access","equals":"Allow"}},"equals":0}""",
            """{"rules":[{"name":"deny-all","access":"Deny"},{"name":"rdp","access":"Allow"}]}""");

        Assert.Equal(Outcome.Fail, finding.Outcome);
        var evidence = Assert.Single(finding.Evidence);
        Assert.Equal("1", evidence.Observed);
        Assert.Equal("0", evidence.Expected);
        Assert.Contains("properties.rules[1] ('rdp')", evidence.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_count_whose_where_cannot_be_decided_for_some_elements_is_an_error_unless_the_answer_is_certain()
    {
        const string Greater = """{"count":{"field":"properties.rules[*]","where":{"field":"properties.rules[*].n","less":5}},"greater":0}""";
        // One certain match: "greater than 0" holds whatever the undecidable element gives.
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Greater, """{"rules":[{"n":1},{"n":{"x":1}}]}"""));
        // No certain match, one undecidable: the count is 0 or 1, so the answer is unknown.
        var finding = await EvaluateAsync(Greater, """{"rules":[{"n":9},{"n":{"x":1}}]}""");
        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("between 0 and 1", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_count_iterates_a_list_with_current()
    {
        const string Condition = """
            {"count":{"value":"[parameters('ports')]","name":"port","where":{"field":"properties.open","coversPort":"[current('port')]"}},"equals":0}
            """;
        const string Parameters = """{"ports":{"type":"array","default":[22,3389]}}""";
        Assert.Equal(Outcome.Fail, await OutcomeAsync(Condition, """{"open":["80","3389"]}""", Parameters));
        Assert.Equal(Outcome.Pass, await OutcomeAsync(Condition, """{"open":["80","443"]}""", Parameters));
    }
}
