using Compliance.Core.Findings;
using Compliance.Core.Rules;

namespace Compliance.Cli.Tests;

public sealed class RulesListCommandTests
{
    [Fact]
    public async Task The_committed_COVERAGE_md_is_what_rules_list_generates_for_the_bundled_packs()
    {
        var (code, output, error) = await CliRunner.RunAsync("rules", "list", RepoPaths.File("rules"), "--format", "markdown");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        var committed = File.ReadAllText(RepoPaths.File("rules", "COVERAGE.md")).ReplaceLineEndings("\n");
        Assert.True(
            committed == output,
            "rules/COVERAGE.md is out of date; regenerate it with: dotnet run --project functions/Compliance.Cli -- rules list rules --format markdown > rules/COVERAGE.md");
    }

    [Fact]
    public async Task Table_has_one_line_per_bundled_rule_with_its_severity_and_category()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();

        var (code, output, _) = await CliRunner.RunAsync("rules", "list", RepoPaths.File("rules"));

        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.StartsWith("RULE", lines[0], StringComparison.Ordinal);
        foreach (var rule in packs.SelectMany(p => p.Rules))
        {
            var line = Assert.Single(lines, l => l.StartsWith(rule.Id + " ", StringComparison.Ordinal));
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(rule.Severity.ToWire(), cells[1]);
            Assert.Equal(rule.Category.ToWire(), cells[2]);
            Assert.EndsWith(rule.Title, line, StringComparison.Ordinal);
        }

        Assert.Contains($"{packs.Sum(p => p.Rules.Count)} rules in {packs.Count} packs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_lists_each_control_once_in_reading_order_with_the_rules_that_cover_it()
    {
        using var dir = new TempDirectory();
        dir.Write("pack.json", Pack(
            Rule("T-001", "Nine", """{ "CIS-Azure-3.0.0": [ "2.9" ], "NIST-800-53-r5": [ "AC-2(3)" ], "ISO-27001-2022": [ "A.8.20" ] }"""),
            Rule("T-002", "Ten | pipes", """{ "CIS-Azure-3.0.0": [ "2.10" ], "NIST-800-53-r5": [ "AC-2", "AC-2(3)" ], "ISO-27001-2022": [ "A.8.2" ], "Internal-Baseline": [ "NET-1" ] }""")));

        var (code, output, _) = await CliRunner.RunAsync("rules", "list", dir.Path, "--format", "markdown");

        Assert.Equal(0, code);
        Assert.Contains("| 2.9 | T-001 |\n| 2.10 | T-002 |", output, StringComparison.Ordinal);
        Assert.Contains("| AC-2 | T-002 |\n| AC-2(3) | T-001, T-002 |", output, StringComparison.Ordinal);
        Assert.Contains("| A.8.2 | T-002 |\n| A.8.20 | T-001 |", output, StringComparison.Ordinal);
        Assert.Contains("Ten \\| pipes", output, StringComparison.Ordinal);
        Assert.Contains("| CIS-Azure-3.0.0 | 2 | 2 of 2 |", output, StringComparison.Ordinal);
        Assert.Contains("| Internal-Baseline | 1 | 1 of 2 |", output, StringComparison.Ordinal);
        Assert.True(
            output.IndexOf("### ISO-27001-2022", StringComparison.Ordinal) < output.IndexOf("### Internal-Baseline", StringComparison.Ordinal),
            "the known frameworks come before custom ones");
    }

    [Fact]
    public async Task A_rule_without_controls_of_a_framework_shows_a_dash_in_the_table()
    {
        using var dir = new TempDirectory();
        dir.Write("pack.json", Pack(
            Rule("T-001", "Mapped", """{ "CIS-Azure-3.0.0": [ "4.1" ], "NIST-800-53-r5": [ "SC-8" ] }"""),
            Rule("T-002", "Not on CIS", """{ "NIST-800-53-r5": [ "SC-7" ] }""")));

        var (code, output, _) = await CliRunner.RunAsync("rules", "list", dir.Path);

        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith("T-002", StringComparison.Ordinal));
        Assert.Equal(["T-002", "high", "firewall", "-", "SC-7", "Not", "on", "CIS"], line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("CIS-Azure-3.0.0: 1 controls covered by 1 of 2 rules.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pack_is_reported_with_its_file_and_exit_code_2()
    {
        using var dir = new TempDirectory();
        dir.Write("broken.json", Pack(Rule("T-001", "Broken", "{}").Replace("\"equals\": \"x\"", "\"equalz\": \"x\"", StringComparison.Ordinal)));

        var (code, output, error) = await CliRunner.RunAsync("rules", "list", dir.Path);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("broken.json", error, StringComparison.Ordinal);
        Assert.Contains("equalz", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_is_bad_usage_with_exit_code_2()
    {
        var (code, _, error) = await CliRunner.RunAsync("rules", "list", "--format", "html");

        Assert.Equal(2, code);
        Assert.Contains("html", error, StringComparison.Ordinal);
    }

    private static string Pack(params string[] rules) => $$"""
        { "id": "test", "title": "Test pack", "version": "1.0.0", "rules": [ {{string.Join(", ", rules)}} ] }
        """;

    private static string Rule(string id, string title, string controls) => $$"""
        {
          "id": "{{id}}", "title": "{{title}}", "severity": "high", "category": "firewall",
          "resourceTypes": [ "Test/things" ],
          "condition": { "field": "properties.x", "equals": "x" },
          "controls": {{controls}}
        }
        """;

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "compliance-cli-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Write(string name, string content) => File.WriteAllText(System.IO.Path.Combine(Path, name), content);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
