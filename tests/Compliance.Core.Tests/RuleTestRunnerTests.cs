using Compliance.Core.Rules;
using Compliance.Core.Testing;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

public sealed class RuleTestRunnerTests
{
    private static string WithTests(string tests, string condition = """{"field":"properties.v","equals":1}""") =>
        Pack(condition).Replace("\"condition\":", $" \"tests\": {tests}, \"condition\":", StringComparison.Ordinal);

    private static async Task<RuleTestReport> RunAsync(string pack, IReadOnlyDictionary<string, string>? fixtures = null)
    {
        var loaded = RulePackLoader.Load([Input(pack, "p.json", fixtures)]);
        Assert.False(loaded.HasErrors, string.Join('\n', loaded.Diagnostics));
        return await new RuleTestRunner(new FakeTimeProvider(Now)).RunAsync(loaded.Packs);
    }

    private const string PassAndFail = """
        [ { "name": "one passes", "expect": "pass", "resource": { "id": "/subscriptions/s/x/1", "type": "Test/things", "properties": { "v": 1 } } },
          { "name": "two fails", "expect": "fail", "reasonContains": "expected 1", "resource": { "id": "/subscriptions/s/x/2", "type": "test/THINGS", "properties": { "v": 2 } } } ]
        """;

    [Fact]
    public async Task Passing_and_failing_examples_that_behave_pass()
    {
        var report = await RunAsync(WithTests(PassAndFail));

        Assert.Equal(2, report.Passed);
        Assert.Equal(0, report.Failed);
    }

    [Fact]
    public async Task A_fixture_with_the_wrong_outcome_fails_with_the_rule_the_fixture_and_why()
    {
        var report = await RunAsync(WithTests(PassAndFail.Replace("\"v\": 1 }", "\"v\": 3 }", StringComparison.Ordinal)));

        var failure = Assert.Single(report.Results, r => !r.Passed);
        Assert.Equal("T-001", failure.RuleId);
        Assert.Equal("one passes", failure.TestName);
        Assert.Contains("expected pass, got fail (properties.v is 3; expected 1)", failure.Message, StringComparison.Ordinal);
        Assert.Equal("p.json", failure.Location.File);
    }

    [Fact]
    public async Task A_rule_without_a_failing_example_is_reported()
    {
        var report = await RunAsync(WithTests("""[ { "name": "only pass", "expect": "pass", "resource": { "id": "a", "type": "Test/things", "properties": { "v": 1 } } } ]"""));

        Assert.Contains(report.Results, r => !r.Passed && r.Message.Contains("no test that expects 'fail'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task File_fixtures_can_be_a_resource_or_a_snapshot_with_related_resources()
    {
        var pack = Pack(
            """{"related":{"type":"Test/children","scope":"children"},"greaterOrEquals":1}""").Replace(
            "\"condition\":",
            """
 "tests": [ { "name": "with a child", "expect": "pass", "file": "fixtures/with-child.json", "resourceId": "/subscriptions/s/p/1" },
                          { "name": "alone", "expect": "fail", "file": "fixtures/alone.json" } ], "condition":
""",
            StringComparison.Ordinal);
        var fixtures = new Dictionary<string, string>
        {
            ["fixtures/with-child.json"] = """{"schemaVersion":1,"resources":[{"id":"/subscriptions/s/p/1","type":"Test/things"},{"id":"/subscriptions/s/p/1/children/c","type":"Test/children"}]}""",
            ["fixtures/alone.json"] = """{"id":"/subscriptions/s/p/2","type":"Test/things"}""",
        };

        var report = await RunAsync(pack, fixtures);

        Assert.Equal(0, report.Failed);
        Assert.Equal(2, report.Passed);
    }

    [Fact]
    public async Task Test_parameters_change_the_outcome_for_that_test_only()
    {
        var pack = Pack("""{"field":"properties.v","lessOrEquals":"[parameters('max')]"}""", parameters: """{"max":{"type":"integer","default":1}}""").Replace(
            "\"condition\":",
            """
 "tests": [ { "name": "2 fails by default", "expect": "fail", "resource": { "id": "a", "type": "Test/things", "properties": { "v": 2 } } },
                          { "name": "2 passes with max 2", "expect": "pass", "parameters": { "max": 2 }, "resource": { "id": "a", "type": "Test/things", "properties": { "v": 2 } } } ], "condition":
""",
            StringComparison.Ordinal);

        var report = await RunAsync(pack);

        Assert.Equal(0, report.Failed);
    }

    [Fact]
    public async Task NotApplicable_expects_the_rule_to_skip_the_resource()
    {
        var pack = Pack("""{"field":"properties.v","equals":1}""", where: """{"field":"properties.kind","equals":"a"}""").Replace(
            "\"condition\":",
            """
 "tests": [ { "name": "skipped", "expect": "notApplicable", "resource": { "id": "a", "type": "Test/things", "properties": { "kind": "b" } } },
                          { "name": "wrongly skipped", "expect": "notApplicable", "resource": { "id": "b", "type": "Test/things", "properties": { "kind": "a", "v": 1 } } } ], "condition":
""",
            StringComparison.Ordinal);

        var report = await RunAsync(pack);

        Assert.True(report.Results.Single(r => r.TestName == "skipped").Passed);
        Assert.Contains("expected the rule not to apply, but it gave pass", report.Results.Single(r => r.TestName == "wrongly skipped").Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_fixture_file_is_a_test_failure_not_a_crash()
    {
        var pack = WithTests("""[ { "name": "broken", "expect": "pass", "file": "fixtures/broken.json" }, { "name": "f", "expect": "fail", "resource": { "id": "a", "type": "Test/things" } } ]""");

        var report = await RunAsync(pack, new Dictionary<string, string> { ["fixtures/broken.json"] = "{ not json" });

        Assert.Contains("cannot read the fixture", report.Results.Single(r => r.TestName == "broken").Message, StringComparison.Ordinal);
    }
}
