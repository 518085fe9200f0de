using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests;

/// <summary>The bundled sample tenant scanned with the bundled packs: what a newcomer sees first.</summary>
public sealed class SampleScanTests
{
    private static async Task<List<Finding>> ScanSampleAsync()
    {
        var packs = RulePackLoader.Load(RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();
        var rules = CompiledRuleSet.Compile(packs);
        using var reader = SnapshotReader.OpenFile(RepoPaths.File("samples", "northwind-tenant.json"));
        var findings = new List<Finding>();
        await foreach (var finding in new ScanEngine(new FakeTimeProvider(DateTimeOffset.Parse("2027-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture))).ScanAsync(reader, rules))
        {
            findings.Add(finding);
        }

        return findings;
    }

    [Fact]
    public async Task Sample_scan_has_passes_fails_and_the_failed_subscription_as_an_error()
    {
        var findings = await ScanSampleAsync();

        Assert.Contains(findings, f => f.Outcome == Outcome.Pass);
        Assert.Contains(findings, f => f.Outcome == Outcome.Fail);
        var scopeError = Assert.Single(findings, f => f.RuleId == ScanEngine.CollectionRuleId);
        Assert.Equal(Outcome.Error, scopeError.Outcome);
        Assert.Equal("/subscriptions/c5d7e9f1-2a4b-4c6d-8e0f-1a3b5c7d9e02", scopeError.ResourceId);
        Assert.Contains("403", scopeError.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(scopeError.Controls);
    }

    [Fact]
    public async Task Sample_scan_shows_findings_in_all_four_categories()
    {
        var findings = await ScanSampleAsync();

        foreach (var category in new[] { RuleCategory.Firewall, RuleCategory.Encryption, RuleCategory.Patching, RuleCategory.Access })
        {
            Assert.Contains(findings, f => f.Category == category && f.Outcome == Outcome.Fail);
        }
    }

    [Fact]
    public async Task Sample_scan_is_evaluated_at_collection_time_not_at_the_scan_clock()
    {
        // The fake clock is half a year after collectedAt: a fresh assessment still counts as fresh.
        var findings = await ScanSampleAsync();

        var web01 = Assert.Single(findings, f => f.RuleId == "AZ-PAT-001" && f.ResourceName == "vm-nw-web-01");
        Assert.Equal(Outcome.Pass, web01.Outcome);
    }

    [Fact]
    public async Task Evidence_of_a_failing_storage_account_names_path_observed_and_expected()
    {
        var findings = await ScanSampleAsync();

        var tls = Assert.Single(findings, f => f.RuleId == "AZ-ENC-001" && f.ResourceName == "nwproddata01");
        Assert.Equal(Outcome.Fail, tls.Outcome);
        var evidence = Assert.Single(tls.Evidence);
        Assert.Equal("properties.minimumTlsVersion", evidence.Path);
        Assert.Equal("'TLS1_0'", evidence.Observed);
        Assert.Equal("one of ['TLS1_2', 'TLS1_3']", evidence.Expected);
        Assert.Equal("properties.minimumTlsVersion is 'TLS1_0'; expected one of ['TLS1_2', 'TLS1_3']", tls.Reason);
    }
}
