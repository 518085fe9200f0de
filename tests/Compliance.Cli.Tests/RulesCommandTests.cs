namespace Compliance.Cli.Tests;

public sealed class RulesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Validate_accepts_the_built_in_packs()
    {
        var (code, output, _) = await CliRunner.RunAsync("rules", "validate", RepoPaths.File("rules"));

        Assert.Equal(0, code);
        Assert.Contains("valid.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_every_problem_of_a_broken_pack_with_exit_code_2()
    {
        var path = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(path, """
            {
              "id": "broken",
              "title": "Broken",
              "version": "1.0.0",
              "rules": [ {
                "id": "B-001", "title": "x", "severity": "hgh", "category": "firewall",
                "resourceTypes": [ "Microsoft.Storage/storageAccounts" ],
                "condition": { "field": "properties.v", "in": "TLS1_2" }
              } ]
            }
            """);

        var (code, _, error) = await CliRunner.RunAsync("rules", "validate", path);

        Assert.Equal(2, code);
        Assert.Contains($"{path}:6:", error, StringComparison.Ordinal);
        Assert.Contains("$.rules[0].severity: 'hgh' is not one of", error, StringComparison.Ordinal);
        Assert.Contains($"{path}:8:", error, StringComparison.Ordinal);
        Assert.Contains("$.rules[0].condition.in: 'in' expects an array of values", error, StringComparison.Ordinal);
        Assert.Contains("2 problem(s)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_runs_the_fixtures_of_the_built_in_packs()
    {
        var (code, output, _) = await CliRunner.RunAsync("rules", "test", RepoPaths.File("rules"));

        Assert.Equal(0, code);
        Assert.Matches(@"\d+ passed, 0 failed", output);
    }

    [Fact]
    public async Task Test_reports_a_failing_fixture_with_rule_fixture_and_reason_and_exits_1()
    {
        var path = Path.Combine(_dir, "pack.json");
        await File.WriteAllTextAsync(path, """
            {
              "id": "p", "title": "P", "version": "1.0.0",
              "rules": [ {
                "id": "P-001", "title": "v is 1", "severity": "low", "category": "access",
                "resourceTypes": [ "Test/things" ],
                "condition": { "field": "properties.v", "equals": 1 },
                "tests": [
                  { "name": "claims to pass", "expect": "pass", "resource": { "id": "a", "type": "Test/things", "properties": { "v": 2 } } },
                  { "name": "fails", "expect": "fail", "resource": { "id": "b", "type": "Test/things", "properties": { "v": 2 } } }
                ]
              } ]
            }
            """);

        var (code, output, _) = await CliRunner.RunAsync("rules", "test", path);

        Assert.Equal(1, code);
        Assert.Contains("FAIL P-001 \"claims to pass\"", output, StringComparison.Ordinal);
        Assert.Contains("expected pass, got fail (properties.v is 2; expected 1)", output, StringComparison.Ordinal);
        Assert.Contains("1 passed, 1 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_rules_path_is_bad_input()
    {
        var (code, _, error) = await CliRunner.RunAsync("rules", "validate", Path.Combine(_dir, "nope"));

        Assert.Equal(2, code);
        Assert.Contains("no such rule pack file or folder", error, StringComparison.Ordinal);
    }
}
