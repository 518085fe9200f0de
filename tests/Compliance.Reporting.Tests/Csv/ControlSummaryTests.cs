using System.Globalization;
using Compliance.Core.Findings;
using Compliance.Reporting.Controls;
using Compliance.Reporting.Csv;
using Compliance.Reporting.Store;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Csv;

/// <summary>controls-summary.csv and the report's roll-up: one result per control across resources, counts per framework, titles and "not covered" from the catalogs.</summary>
public sealed class ControlSummaryTests
{
    private static IReadOnlyList<FrameworkSummary> Summarise(IEnumerable<StoredFinding> findings, params string[] frameworks)
    {
        var matrix = new ControlMatrix();
        foreach (var finding in findings)
        {
            matrix.Add(finding);
        }

        return ControlSummary.Of(matrix.Rows(), ControlCatalog.BuiltIn, frameworks);
    }

    private static StoredFinding On(string rule, string resource, Outcome outcome, params (string Framework, string Control)[] controls) =>
        new(Finding(rule, Resource(Prod, resource), outcome) with
        {
            Controls = controls.GroupBy(c => c.Framework).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(c => c.Control).ToList()),
        }, Prod);

    [Fact]
    public void A_control_fails_if_any_resource_fails_it_else_error_else_suppressed_else_pass()
    {
        var summary = Summarise(
        [
            On("R1", "a", Outcome.Pass, ("NIST-800-53-r5", "SC-7"), ("NIST-800-53-r5", "AC-2"), ("NIST-800-53-r5", "AC-3"), ("NIST-800-53-r5", "SI-2(5)")),
            On("R2", "b", Outcome.Fail, ("NIST-800-53-r5", "SC-7")),
            On("R3", "b", Outcome.Error, ("NIST-800-53-r5", "AC-2")),
            On("R4", "c", Outcome.Suppressed, ("NIST-800-53-r5", "AC-3")),
        ]);

        var nist = Assert.Single(summary);
        Assert.Equal("NIST SP 800-53 Rev. 5", nist.Title);
        var byId = nist.Controls.ToDictionary(c => c.ControlId);
        Assert.Equal(ControlStatus.Fail, byId["SC-7"].Status);
        Assert.Equal((1, 1, "Boundary Protection"), (byId["SC-7"].ResourcesFail, byId["SC-7"].ResourcesPass, byId["SC-7"].Title));
        Assert.Equal(["R2"], byId["SC-7"].FailingRules);
        Assert.Equal(ControlStatus.Error, byId["AC-2"].Status);
        Assert.Equal(ControlStatus.Suppressed, byId["AC-3"].Status);
        Assert.Equal(ControlStatus.Pass, byId["SI-2(5)"].Status);
        Assert.Null(byId["SI-2(5)"].Title); // outside every SP 800-53B baseline: not in the catalog we could source
        Assert.Equal((1, 1, 1, 1), (nist.Passed, nist.Failed, nist.Error, nist.Suppressed));
        Assert.Equal(ControlCatalog.BuiltIn.Find("NIST-800-53-r5")!.ControlIds.Count - 3, nist.NotCovered);
        Assert.Equal(["AC-2", "AC-3", "SC-7", "SI-2(5)"], nist.Controls.Select(c => c.ControlId));
    }

    [Fact]
    public void A_framework_asked_for_and_not_mapped_is_all_not_covered_and_one_without_a_catalog_has_no_such_count()
    {
        var summary = Summarise([On("R1", "a", Outcome.Fail, ("policy-set:Contoso baseline", "CB-1"))], "ISO-27001-2022");

        var iso = summary.Single(f => f.Framework == "ISO-27001-2022");
        Assert.Equal((0, 93, 93), (iso.Controls.Count, iso.NotCovered, iso.CatalogControls));
        var custom = summary.Single(f => f.Framework == "policy-set:Contoso baseline");
        Assert.Equal((1, (int?)null), (custom.Failed, custom.NotCovered));
    }

    [Fact]
    public void Controls_summary_csv_matches_the_approved_file()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        ControlsSummaryCsvWriter.Write(writer, "run-1", T0, T0.AddMinutes(-5), Tenant, Summarise(EvidenceCsvGoldenTests.Findings(), "ISO-27001-2022"));

        Golden.Verify("controls-summary.approved.csv", writer.ToString());
    }

    [Fact]
    public void The_catalogs_know_the_titles_of_the_controls_the_built_in_rules_map_to()
    {
        var catalog = ControlCatalog.BuiltIn;
        Assert.Equal(["CIS-Azure-3.0.0", "ISO-27001-2022", "NIST-800-53-r5"], catalog.Frameworks.Select(f => f.Id));
        Assert.Equal("Account Management | Disable Accounts", catalog.TitleOf("NIST-800-53-r5", "AC-2(3)"));
        Assert.Equal("Ensure that RDP access from the Internet is evaluated and restricted", catalog.TitleOf("cis-azure-3.0.0", "7.1"));
        Assert.Null(catalog.TitleOf("ISO-27001-2022", "A.8.20"));
        Assert.True(catalog.Find("ISO-27001-2022")!.Contains("A.8.20"));
        Assert.All(catalog.Frameworks, f => Assert.NotEmpty(f.Source));

        // Every control a built-in rule maps to is in its framework's catalog, with a title where the framework publishes them.
        var packs = Compliance.Core.Rules.RulePackLoader.Load(Compliance.Core.Rules.RulePackFiles.Read([RepoPaths.File("rules")])).PacksOrThrow();
        var missing = packs.SelectMany(p => p.Rules).SelectMany(r => r.Controls.SelectMany(c => c.Value.Select(id => (Framework: c.Key, Id: id))))
            .Distinct()
            .Where(c => catalog.Find(c.Framework) is not { } framework || !framework.Contains(c.Id) || (c.Framework != "ISO-27001-2022" && framework.TitleOf(c.Id) is null))
            .Select(c => $"{c.Framework} {c.Id}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["NIST-800-53-r5 SI-2(5)"], missing);
    }
}
