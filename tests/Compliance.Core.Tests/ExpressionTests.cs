using Compliance.Core.Findings;
using Compliance.Core.Rules;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>Template expressions: nested calls, addDays, and field() on the element a count visits.</summary>
public sealed class ExpressionTests
{
    private const string LongLived = """
        {"count":{"field":"properties.creds[*]","where":{"field":"properties.creds[*].end","greater":"[addDays(field('properties.creds[*].start'), parameters('maxDays'))]"}},"equals":0}
        """;

    private const string MaxDays = """{"maxDays":{"type":"integer","default":365}}""";

    [Theory]
    [InlineData("2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z", Outcome.Pass)]
    [InlineData("2026-01-01T00:00:00Z", "2027-01-02T00:00:00Z", Outcome.Fail)]
    [InlineData("2020-01-01T00:00:00Z", "2020-06-01T00:00:00Z", Outcome.Pass)]
    public async Task AddDays_moves_a_date_of_the_counted_element(string start, string end, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync(LongLived, $$"""{"creds":[{"start":"{{start}}","end":"{{end}}"}]}""", MaxDays));

    [Fact]
    public async Task Each_element_is_compared_with_its_own_start()
    {
        var finding = await EvaluateAsync(LongLived, """{"creds":[{"displayName":"ok","start":"2026-01-01T00:00:00Z","end":"2026-06-01T00:00:00Z"},{"displayName":"too long","start":"2025-01-01T00:00:00Z","end":"2027-01-01T00:00:00Z"}]}""", MaxDays);

        Assert.Equal(Outcome.Fail, finding.Outcome);
        Assert.Contains("properties.creds[1] ('too long')", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDays_on_something_that_is_not_a_date_is_an_error()
    {
        var finding = await EvaluateAsync(LongLived, """{"creds":[{"start":"soon","end":"2027-01-01T00:00:00Z"}]}""", MaxDays);

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("addDays() needs a date", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"value":"[addDays('2026-01-01T00:00:00Z', 30)]","equals":"2026-01-31T00:00:00Z"}""", Outcome.Pass)]
    [InlineData("""{"value":"[addDays('2026-03-01T00:00:00Z', -1)]","equals":"2026-02-28T00:00:00Z"}""", Outcome.Pass)]
    [InlineData("""{"field":"properties.when","less":"[addDays(field('properties.since'), 7)]"}""", Outcome.Pass)]
    [InlineData("""{"value":"[addDays(field('properties.nope'), 7)]","exists":false}""", Outcome.Pass)]
    public async Task AddDays_works_on_literals_fields_and_missing_values(string condition, Outcome expected) =>
        Assert.Equal(expected, await OutcomeAsync(condition, """{"since":"2026-11-01T00:00:00Z","when":"2026-11-05T00:00:00Z"}"""));

    [Theory]
    [InlineData("""{"field":"properties.v","equals":"[addDays(field('properties.a'))]"}""", "addDays() takes a date and a number of days")]
    [InlineData("""{"field":"properties.v","equals":"[addDays(field('properties.a'), 'ten')]"}""", "addDays() takes a whole number of days")]
    [InlineData("""{"field":"properties.v","equals":"[addDays(field('properties.a'), 1]"}""", "unsupported expression")]
    [InlineData("""{"field":"properties.v","equals":"[concat('a', 'b', substring('x', 3))]"}""", "cannot be computed: substring(): start 3")]
    [InlineData("""{"field":"properties.v","equals":"[toLowr(field('properties.a'))]"}""", "unsupported function 'toLowr()'")]
    public void Malformed_expressions_are_explained(string condition, string message)
    {
        var diagnostics = RulePackLoader.Load([Input(Pack(condition), "p.json")]).Diagnostics;

        Assert.Contains(diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }
}
