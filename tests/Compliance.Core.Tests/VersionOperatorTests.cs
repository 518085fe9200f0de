using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>versionLess / versionLessOrEquals / versionGreater / versionGreaterOrEquals: versions compared part by part as numbers.</summary>
public sealed class VersionOperatorTests
{
    [Theory]
    [InlineData("1.9.6", "1.10", Outcome.Pass)] // 9 < 10 as numbers: the AKS case a string prefix list missed
    [InlineData("1.10", "1.9", Outcome.Fail)] // as text "1.10" would be less than "1.9"
    [InlineData("1.29.2", "1.30", Outcome.Pass)]
    [InlineData("1.30", "1.30.2", Outcome.Pass)] // a missing part is 0: 1.30 is 1.30.0
    [InlineData("1.30.0", "1.30", Outcome.Fail)] // equal
    [InlineData("v1.2", "1.3", Outcome.Pass)] // an optional leading v
    [InlineData("1.02", "1.1", Outcome.Fail)] // leading zeros do not change a number
    [InlineData("1.29.0-preview", "1.29.0", Outcome.Pass)] // a pre-release orders before its release
    [InlineData("1.29.0", "1.29.0-preview", Outcome.Fail)]
    [InlineData("1.29.0-alpha.2", "1.29.0-alpha.10", Outcome.Pass)] // numeric identifiers as numbers
    [InlineData("1.29.0-alpha", "1.29.0-alpha.1", Outcome.Pass)] // fewer identifiers first
    [InlineData("1.29.0+build.9", "1.29.0", Outcome.Fail)] // build metadata is ignored
    [InlineData("99999999999999999999.1", "99999999999999999999.2", Outcome.Pass)] // any number of digits
    public async Task VersionLess_compares_parts_as_numbers(string observed, string expected, Outcome outcome) =>
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","versionLess":"{{expected}}"}""", $$"""{"v":"{{observed}}"}"""));

    [Theory]
    [InlineData("versionLessOrEquals", "1.30", "1.30.0", Outcome.Pass)]
    [InlineData("versionLessOrEquals", "1.30.1", "1.30", Outcome.Fail)]
    [InlineData("versionGreater", "8.0.21", "5.7", Outcome.Pass)]
    [InlineData("versionGreater", "5.7", "5.7.0", Outcome.Fail)]
    [InlineData("versionGreaterOrEquals", "1.2", "1.2", Outcome.Pass)]
    [InlineData("versionGreaterOrEquals", "1.1.9", "1.2", Outcome.Fail)]
    public async Task The_other_version_operators_order_the_same_way(string op, string observed, string expected, Outcome outcome) =>
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","{{op}}":"{{expected}}"}""", $$"""{"v":"{{observed}}"}"""));

    [Fact]
    public async Task Numbers_are_read_as_written()
    {
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.v","versionLess":"12"}""", """{"v":11}"""));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.v","versionGreaterOrEquals":8.0}""", """{"v":"8.0.21"}"""));
    }

    [Fact]
    public async Task A_missing_field_is_false_as_with_less()
    {
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.v","versionLess":"1.30"}""", "{}"));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.v","versionGreaterOrEquals":"1.30"}""", """{"v":null}"""));
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"not":{"field":"properties.v","versionLess":"1.30"}}""", "{}"));
    }

    [Theory]
    [InlineData("\"latest\"")]
    [InlineData("\"1..2\"")]
    [InlineData("\"1.x\"")]
    [InlineData("\"\"")]
    [InlineData("\"1.2-\"")]
    [InlineData("-1")]
    [InlineData("true")]
    [InlineData("{\"major\":1}")]
    public async Task A_value_that_is_not_a_version_is_an_error_with_its_reason(string value)
    {
        var finding = await EvaluateAsync("""{"field":"properties.v","versionLess":"1.30"}""", $$"""{"v":{{value}}}""");

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("is not a version", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_value_side_may_be_a_parameter_and_is_named_in_the_evidence()
    {
        const string Parameters = """{"minVersion":{"type":"string","default":"1.28"}}""";
        var finding = await EvaluateAsync("""{"field":"properties.v","versionGreaterOrEquals":"[parameters('minVersion')]"}""", """{"v":"1.27.9"}""", Parameters);

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("properties.v is '1.27.9'; expected a version of at least '1.28'", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_a_star_path_every_element_is_compared() =>
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.pools[*].version","versionGreaterOrEquals":"1.28"}""", """{"pools":[{"version":"1.29.1"},{"version":"1.9.6"}]}"""));

    [Theory]
    [InlineData("\"latest\"")]
    [InlineData("\"1.2.\"")]
    [InlineData("true")]
    public void A_right_side_that_is_not_a_version_is_a_validation_error(string value)
    {
        var loaded = Load(Pack($$"""{"field":"properties.v","versionLess":{{value}}}"""));

        var d = Assert.Single(loaded.Diagnostics);
        Assert.Equal("$.rules[0].condition.versionLess", d.Location.JsonPath);
        Assert.Contains("'versionLess' expects a version", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_that_is_not_a_version_is_named()
    {
        var loaded = Load(Pack("""{"field":"properties.v","versionLess":"[parameters('v')]"}""", parameters: """{"v":{"type":"string","default":"new"}}"""));

        Assert.Contains("(from parameter 'v')", Assert.Single(loaded.Diagnostics).Message, StringComparison.Ordinal);
    }
}
