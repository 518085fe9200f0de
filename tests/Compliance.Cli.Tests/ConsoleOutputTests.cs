using System.Globalization;
using System.Text.Json;
using Compliance.Cli.Output;
using CsvHelper;

namespace Compliance.Cli.Tests;

/// <summary>
/// The console as a person sees it: the sample scan at 80 and 160 columns (golden files), every line
/// within the width and no word broken, findings grouped by rule in plain words, the findings filters,
/// and "did you mean" for a mistyped command or option.
/// </summary>
public sealed class ConsoleOutputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(80)]
    [InlineData(160)]
    public async Task The_sample_scan_fits_the_terminal_width_and_matches_the_approved_output(int width)
    {
        var (code, output, error) = await CliRunner.RunAtWidthAsync(width, "scan", "--store", "none");

        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.All(lines, line => Assert.True(ConsoleText.Cells(line.TrimEnd('\r')) <= width, $"{ConsoleText.Cells(line)} cells: {line}"));
        Golden.Verify($"scan-sample-{width}.approved.txt", output);
    }

    [Fact]
    public async Task No_word_is_broken_at_80_columns_a_line_that_is_cut_ends_with_an_ellipsis()
    {
        var narrow = (await CliRunner.RunAtWidthAsync(80, "scan", "--store", "none")).Out;
        var wide = (await CliRunner.RunAtWidthAsync(1000, "scan", "--store", "none")).Out;

        // Every word of the narrow output is a word of the wide one (where nothing needs cutting),
        // unless it is the last word of a line that was cut: then it ends with "…".
        var words = wide.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var broken = narrow.Split('\n')
            .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.TrimEnd('\r'))
            .Where(w => w.Length > 0 && !w.EndsWith(ConsoleText.Ellipsis, StringComparison.Ordinal) && !words.Contains(w) && !w.All(c => "─╭╮╰╯│├┤┬┴┼".Contains(c)))
            .ToList();
        Assert.True(broken.Count == 0, "words broken at 80 columns: " + string.Join(", ", broken.Distinct().Take(20)));
        Assert.DoesNotContain("microsoft.network/networ\n", narrow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_findings_are_grouped_by_rule_with_the_remediation_once_and_a_plain_words_line_per_resource()
    {
        var output = (await CliRunner.RunAtWidthAsync(160, "scan", "--store", "none")).Out;

        Assert.Contains("  Guest lee@oldvendor.example holds User Access Administrator on subscription Northwind Production", output, StringComparison.Ordinal);
        Assert.Contains("CRITICAL AZ-FW-001 Network security groups do not allow RDP (3389) from the internet (4 failing)", output, StringComparison.Ordinal);
        Assert.Contains("  nsg-web-prod · rg-web-prod · Rule allow-rdp-anywhere allows RDP (3389) from *", output, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(output, "just-in-time access for RDP"));
        Assert.DoesNotContain("matching the where condition", output, StringComparison.Ordinal);
        Assert.Contains("  Northwind Sandbox · Not assessed: subscription Northwind Sandbox could not be read completely (403", output, StringComparison.Ordinal);
        Assert.DoesNotContain("b22e9505-2a87-556b-4dbf-b74eaf44efe9", output, StringComparison.Ordinal);

        // Each failing rule once, in severity order.
        var headers = output.Split('\n').Where(l => l.StartsWith("CRITICAL ", StringComparison.Ordinal) || l.StartsWith("HIGH ", StringComparison.Ordinal)).ToList();
        Assert.Equal(headers.Count, headers.Select(h => h.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).Distinct().Count());
        Assert.True(headers.FindLastIndex(h => h.StartsWith("CRITICAL", StringComparison.Ordinal)) < headers.FindIndex(h => h.StartsWith("HIGH", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Details_show_the_resource_id_the_reason_and_the_observed_values()
    {
        var plain = (await CliRunner.RunAtWidthAsync(160, "scan", "--store", "none")).Out;
        var detailed = (await CliRunner.RunAtWidthAsync(160, "scan", "--store", "none", "--details")).Out;

        Assert.DoesNotContain("properties.minimumTlsVersion = 'TLS1_0'", plain, StringComparison.Ordinal);
        Assert.Contains("✗ properties.minimumTlsVersion = 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']", detailed, StringComparison.Ordinal);
        Assert.Contains("id: /subscriptions/3b1f6c2e-8d4a-4f7b-9c1e-2a5d7e9f0b13/resourceGroups/rg-data-prod/providers/Microsoft.Storage/storageAccounts/nwproddata01", detailed, StringComparison.Ordinal);
        Assert.Contains("why: properties.minimumTlsVersion is 'TLS1_0'", detailed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Findings_are_filtered_by_rule_resource_subscription_and_category_and_written_as_csv()
    {
        var store = _temp.File("c.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--store", store, "--format", "json")).ExitCode);

        async Task<List<JsonElement>> Json(params string[] filters)
        {
            var (code, output, error) = await CliRunner.RunAsync(["findings", "--store", store, "--format", "json", .. filters]);
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(output);
            return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
        }

        var firewall = await Json("--rule", "AZ-FW-00*", "--outcome", "fail");
        Assert.NotEmpty(firewall);
        Assert.All(firewall, f => Assert.StartsWith("AZ-FW-00", f.GetProperty("ruleId").GetString(), StringComparison.Ordinal));

        var web = await Json("--resource", "NSG-WEB");
        Assert.NotEmpty(web);
        Assert.All(web, f => Assert.Contains("nsg-web", f.GetProperty("resourceId").GetString(), StringComparison.OrdinalIgnoreCase));

        var dev = await Json("--subscription", "Northwind Development");
        var devById = await Json("--subscription", "9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57");
        Assert.NotEmpty(dev);
        Assert.Equal(dev.Count, devById.Count);
        Assert.All(dev, f => Assert.Equal("9a4e2b7c-1f3d-4c6a-8e5b-7d2f0a1c3e57", f.GetProperty("subscriptionId").GetString()));

        var patching = await Json("--category", "patching", "--rule", "AZ-PAT-002");
        Assert.NotEmpty(patching);
        Assert.All(patching, f => Assert.Equal(("patching", "AZ-PAT-002"), (f.GetProperty("category").GetString(), f.GetProperty("ruleId").GetString())));

        var (csvCode, csvText, _) = await CliRunner.RunAsync("findings", "--store", store, "--format", "csv", "--rule", "AZ-ACC-005", "--outcome", "fail");
        Assert.Equal(0, csvCode);
        using var csv = new CsvReader(new StringReader(csvText), CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        Assert.True(csv.Read());
        Assert.Equal("AZ-ACC-005", csv.GetField("ruleId"));
        Assert.Equal("Guest lee@oldvendor.example holds User Access Administrator on subscription Northwind Production", csv.GetField("message"));
        Assert.False(csv.Read());

        var (badCode, _, badError) = await CliRunner.RunAsync("findings", "--store", store, "--category", "firewal");
        Assert.Equal(2, badCode);
        Assert.Contains("--category 'firewal': expected one of", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_findings_table_groups_by_rule_and_fits_the_width()
    {
        var store = _temp.File("t.db");
        Assert.Equal(0, (await CliRunner.RunAsync("scan", "--store", store, "--format", "json")).ExitCode);

        var (code, output, error) = await CliRunner.RunAtWidthAsync(80, "findings", "--store", store, "--outcome", "fail", "--rule", "AZ-FW-001");

        Assert.True(code == 0, error);
        Assert.All(output.Split('\n'), line => Assert.True(ConsoleText.Cells(line) <= 80, line));
        Assert.Contains("CRITICAL AZ-FW-001 Network security groups do not allow RDP (3389) from the", output, StringComparison.Ordinal);
        Assert.Contains("(new) Rule allow-rdp-anywhere", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "scna" }, "Did you mean 'scan'?")]
    [InlineData(new[] { "scan", "--stor", "x.db" }, "Did you mean '--store'? ('--stor' is not a known option of 'compliance scan')")]
    [InlineData(new[] { "rules", "tset" }, "Did you mean 'test'? ('tset' is not a known command of 'compliance rules')")]
    [InlineData(new[] { "findings", "--catgory", "access" }, "Did you mean '--category'?")]
    public async Task A_mistyped_command_or_option_is_exit_2_with_the_closest_one(string[] args, string expected)
    {
        var (code, _, error) = await CliRunner.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_progress_bar_never_reaches_a_standard_error_that_is_not_a_terminal_nor_a_quick_scan()
    {
        var redirected = new StringWriter();
        var env = new CliEnvironment(new StringWriter(), redirected, TimeProvider.System, ErrorIsTerminal: false) { ProgressDelay = TimeSpan.Zero };
        await ProgressDisplay.RunAsync(env, "Scanning", () => (1, 2), () => Task.Delay(300));

        var terminal = new StringWriter();
        var quick = new CliEnvironment(new StringWriter(), terminal, TimeProvider.System, ErrorIsTerminal: true) { ProgressDelay = TimeSpan.FromSeconds(30) };
        await ProgressDisplay.RunAsync(quick, "Scanning", () => (1, 2), () => Task.CompletedTask);

        Assert.Equal(string.Empty, redirected.ToString());
        Assert.Equal(string.Empty, terminal.ToString());
    }

    [Theory]
    [InlineData("Storage account nwproddata01 has minimum TLS version TLS1_0", 40, "Storage account nwproddata01 has…")]
    [InlineData("short", 40, "short")]
    [InlineData("microsoft.network/networksecuritygroups", 20, "microsoft.network/n…")]
    [InlineData("名前名前名前名前名前", 9, "名前名前…")]
    public void Fit_cuts_at_a_word_boundary_and_counts_wide_characters_as_two_cells(string text, int width, string expected)
    {
        var fitted = ConsoleText.Fit(text, width);

        Assert.Equal(expected, fitted);
        Assert.True(ConsoleText.Cells(fitted) <= width);
    }

    [Fact]
    public void Wrap_breaks_between_words_and_indents_the_following_lines()
    {
        var lines = ConsoleText.Wrap("Fix: Portal: Storage account > Configuration > Minimum TLS version", 30, "    ", "  ").ToList();

        Assert.Equal(["  Fix: Portal: Storage account", "    > Configuration > Minimum", "    TLS version"], lines);
        Assert.All(lines, l => Assert.True(l.Length <= 30));
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
