using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>
/// Condition values compare as Azure Policy's InvariantCultureIgnoreCase does, with full case folding
/// (ß = SS, ﬃ = FFI, Σ = σ = ς); property names stay ordinal ignore-case.
/// </summary>
public sealed class CaseFoldingTests
{
    [Fact]
    public void The_runtime_itself_does_not_fold_so_the_folding_below_is_the_engines()
    {
        // Directory.Build.props sets InvariantGlobalization=true: culture-aware comparisons are ordinal there.
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        Assert.False(string.Equals("Straße", "STRASSE", StringComparison.InvariantCultureIgnoreCase));
        Assert.False(string.Equals("ﬃ", "FFI", StringComparison.InvariantCultureIgnoreCase));
    }

    [Theory]
    [InlineData("TLS1_2", "tls1_2", Outcome.Pass)] // ASCII fast path
    [InlineData("Straße", "STRASSE", Outcome.Pass)]
    [InlineData("STRASSE", "straße", Outcome.Pass)]
    [InlineData("Stra\\u00dfe", "strasse", Outcome.Pass)] // an escaped JSON string folds the same
    [InlineData("ﬃ", "FFI", Outcome.Pass)]
    [InlineData("ΣΊΣΥΦΟΣ", "σίσυφος", Outcome.Pass)] // final sigma
    [InlineData("\u212Aelvin", "kelvin", Outcome.Pass)] // KELVIN SIGN folds to k
    [InlineData("Straße", "Strase", Outcome.Fail)]
    [InlineData("café", "CAFE", Outcome.Fail)] // accents are not case
    public async Task Equals_folds_case_fully(string observed, string expected, Outcome outcome)
    {
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","equals":"{{expected}}"}""", $$"""{"v":"{{observed}}"}"""));
        var negated = outcome == Outcome.Pass ? Outcome.Fail : Outcome.Pass;
        Assert.Equal(negated, await OutcomeAsync($$"""{"field":"properties.v","notEquals":"{{expected}}"}""", $$"""{"v":"{{observed}}"}"""));
    }

    [Theory]
    [InlineData("westeurope", Outcome.Pass)]
    [InlineData("MÜNCHEN", Outcome.Pass)]
    [InlineData("Straße", Outcome.Pass)]
    [InlineData("Strasbourg", Outcome.Fail)]
    public async Task In_and_notIn_fold_each_candidate(string observed, Outcome outcome)
    {
        const string List = """["WESTEUROPE","München","STRASSE"]""";
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","in":{{List}}}""", $$"""{"v":"{{observed}}"}"""));
        Assert.Equal(outcome == Outcome.Pass ? Outcome.Fail : Outcome.Pass, await OutcomeAsync($$"""{"field":"properties.v","notIn":{{List}}}""", $$"""{"v":"{{observed}}"}"""));
    }

    [Theory]
    [InlineData("""{"v":"Allow-From-INTERNET"}""", "internet", Outcome.Pass)]
    [InlineData("""{"v":"Die Straße ist lang"}""", "STRASSE", Outcome.Pass)] // substring after folding
    [InlineData("""{"v":"oﬃce"}""", "FFI", Outcome.Pass)]
    [InlineData("""{"v":["Straße","x"]}""", "strasse", Outcome.Pass)] // array element equality folds too
    [InlineData("""{"v":"Strand"}""", "STRASSE", Outcome.Fail)]
    public async Task Contains_and_notContains_fold(string properties, string part, Outcome outcome)
    {
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","contains":"{{part}}"}""", properties));
        Assert.Equal(outcome == Outcome.Pass ? Outcome.Fail : Outcome.Pass, await OutcomeAsync($$"""{"field":"properties.v","notContains":"{{part}}"}""", properties));
    }

    [Theory]
    [InlineData("vm-?", "vm-1", Outcome.Pass)] // ? is exactly one character
    [InlineData("vm-?", "VM-a", Outcome.Pass)]
    [InlineData("vm-?", "vm-10", Outcome.Fail)]
    [InlineData("vm-?", "vm-", Outcome.Fail)]
    [InlineData("vm-??-*", "vm-01-prod", Outcome.Pass)]
    [InlineData("*-?", "a-b-c", Outcome.Pass)] // * backtracks
    [InlineData("*", "", Outcome.Pass)]
    [InlineData("?*", "", Outcome.Fail)]
    [InlineData("STRASSE-*", "straße-1", Outcome.Pass)] // non-ASCII folds
    [InlineData("stra?e", "Straße", Outcome.Fail)] // ß folds to two characters ...
    [InlineData("stra??e", "Straße", Outcome.Pass)] // ... so it takes two ?
    [InlineData("ﬃ*", "FFIX", Outcome.Pass)]
    [InlineData("?", "😀", Outcome.Pass)] // one character outside the BMP
    [InlineData("a.b", "aXb", Outcome.Fail)] // every other character is itself
    public async Task Like_takes_star_and_question_mark_and_folds(string pattern, string value, Outcome outcome)
    {
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","like":"{{pattern}}"}""", $$"""{"v":"{{value}}"}"""));
        Assert.Equal(outcome == Outcome.Pass ? Outcome.Fail : Outcome.Pass, await OutcomeAsync($$"""{"field":"properties.v","notLike":"{{pattern}}"}""", $$"""{"v":"{{value}}"}"""));
    }

    [Theory]
    [InlineData("less", "b", "A", Outcome.Fail)] // ASCII any case
    [InlineData("less", "a", "B", Outcome.Pass)]
    [InlineData("less", "a_b", "aB", Outcome.Pass)] // folded (lower) case: '_' sorts before 'b'
    [InlineData("lessOrEquals", "STRASSE", "straße", Outcome.Pass)] // equal after folding
    [InlineData("greaterOrEquals", "Straße", "STRASSE", Outcome.Pass)]
    [InlineData("greater", "Straße", "STRASSE", Outcome.Fail)]
    [InlineData("greater", "Ωmega", "omega", Outcome.Pass)] // code point order of the folded text
    public async Task Ordering_operators_on_strings_fold(string op, string observed, string expected, Outcome outcome) =>
        Assert.Equal(outcome, await OutcomeAsync($$"""{"field":"properties.v","{{op}}":"{{expected}}"}""", $$"""{"v":"{{observed}}"}"""));

    [Fact]
    public async Task Property_names_stay_ordinal_ignore_case()
    {
        // Names match in any ASCII case, but ß in a name is not SS (ARM compares names ordinally).
        Assert.Equal(Outcome.Pass, await OutcomeAsync("""{"field":"properties.STRAßE","equals":1}""", """{"straße":1}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"properties.strasse","equals":1}""", """{"straße":1}"""));
        Assert.Equal(Outcome.Fail, await OutcomeAsync("""{"field":"tags","containsKey":"STRASSE"}""", "{}", extra: ",\"tags\":{\"straße\":\"x\"}"));
    }

    [Fact]
    public async Task A_related_join_finds_candidates_whose_key_is_equal_after_folding()
    {
        var rules = Compile(Pack(
            """{"related":{"type":"Test/owners","scope":"tenant","where":{"field":"name","equals":"[resource('properties.owner')]"}},"equals":1}"""));
        var findings = await ScanAsync(rules, Snapshot(
            Thing("""{"owner":"STRASSE"}"""),
            """{"id":"/subscriptions/s1/providers/Test/owners/o1","type":"Test/owners","name":"Straße"}"""));

        Assert.Equal(Outcome.Pass, findings.Single(f => f.RuleId == "T-001").Outcome);
    }
}
