using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

public sealed class ParameterAndClockTests
{
    private static readonly string MaxOwnersPack = Pack(
        """{"count":{"field":"properties.owners[*]"},"lessOrEquals":"[parameters('maxOwners')]"}""",
        parameters: """{"maxOwners":{"type":"integer","default":2},"mode":{"type":"string","default":"strict","allowedValues":["strict","lenient"]}}""");

    private const string ThreeOwners = """{"owners":["a","b","c"]}""";

    [Fact]
    public async Task A_parameter_default_applies()
    {
        var findings = await ScanAsync(Compile(MaxOwnersPack), Snapshot(Thing(ThreeOwners)));

        Assert.Equal(Outcome.Fail, Assert.Single(findings).Outcome);
        Assert.Contains("expected at most 2", findings[0].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxOwners")]
    [InlineData("test.maxOwners")]
    [InlineData("MAXOWNERS")]
    public async Task A_parameter_can_be_overridden_at_scan_time(string key)
    {
        var rules = Compile(MaxOwnersPack, new Dictionary<string, string> { [key] = "3" });

        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, Snapshot(Thing(ThreeOwners)))).Outcome);
    }

    [Theory]
    [InlineData("maxOwners", "three", "is not a valid integer")]
    [InlineData("maxOwner", "3", "no loaded pack declares a parameter 'maxOwner'")]
    [InlineData("other.maxOwners", "3", "no loaded pack declares")]
    [InlineData("mode", "loose", "is not an allowed value")]
    public void A_bad_override_is_rejected_with_its_name(string key, string value, string message)
    {
        var packs = Load(MaxOwnersPack).PacksOrThrow();

        var ex = Assert.Throws<RuleValidationException>(() => CompiledRuleSet.Compile(packs, new Dictionary<string, string> { [key] = value }));
        Assert.Contains(ex.Diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Array_parameters_are_overridden_with_json()
    {
        var pack = Pack("""{"field":"properties.v","in":"[parameters('allowed')]"}""", parameters: """{"allowed":{"type":"array","default":["a"]}}""");

        var rules = Compile(pack, new Dictionary<string, string> { ["allowed"] = """["a","b"]""" });

        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, Snapshot(Thing("""{"v":"b"}""")))).Outcome);
    }

    private static readonly string FreshPack = Pack("""{"field":"properties.checked","newerThan":"P7D"}""");

    [Fact]
    public async Task Without_collectedAt_time_operators_use_the_scan_clock()
    {
        var rules = Compile(FreshPack);
        var snapshot = Snapshot(Thing("""{"checked":"2026-03-05T00:00:00Z"}"""));

        var early = await ScanAsync(rules, snapshot, time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero)));
        var late = await ScanAsync(rules, snapshot, time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero)));

        Assert.Equal(Outcome.Pass, Assert.Single(early).Outcome);
        Assert.Equal(Outcome.Fail, Assert.Single(late).Outcome);
    }

    [Fact]
    public async Task With_collectedAt_time_operators_use_the_collection_time_and_as_of_overrides_it()
    {
        var rules = Compile(FreshPack);
        var snapshot = """{"schemaVersion":1,"collectedAt":"2026-03-08T00:00:00Z","resources":[""" + Thing("""{"checked":"2026-03-05T00:00:00Z"}""") + "]}";
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(rules, snapshot, time: clock)).Outcome);
        Assert.Equal(Outcome.Fail, Assert.Single(await ScanAsync(rules, snapshot, asOf: clock.GetUtcNow(), time: clock)).Outcome);
    }

    [Fact]
    public async Task The_evidence_of_a_time_rule_names_the_cutoff()
    {
        var finding = await EvaluateAsync("""{"field":"properties.checked","newerThan":"P7D"}""", """{"checked":"2026-11-01T00:00:00Z"}""");

        Assert.Equal("properties.checked is '2026-11-01T00:00:00Z'; expected newer than P7D (after 2026-11-20T00:00:00Z)", finding.Reason);
    }
}
