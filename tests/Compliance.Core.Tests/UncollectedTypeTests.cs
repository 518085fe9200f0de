using Compliance.Core.Findings;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>A related type the snapshot says was not collected makes a related count a lower bound: never a pass for lack of data.</summary>
public sealed class UncollectedTypeTests
{
    private const string Site = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app1/slots/staging","type":"Microsoft.Web/sites/slots","name":"app1/staging","properties":{}}""";
    private const string SlotConfig = """{"id":"/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app1/slots/staging/config/web","type":"Microsoft.Web/sites/slots/config","name":"web","properties":{"minTlsVersion":"1.2"}}""";

    private static string Snapshot(bool uncollected, params string[] resources) =>
        "{\"schemaVersion\":1,\"tenantId\":\"t1\"" +
        (uncollected ? ",\"uncollected\":[{\"type\":\"Microsoft.Web/sites/slots/config\",\"reason\":\"no Resource Graph table or ARM list the collector reads serves it\"}]" : string.Empty) +
        ",\"resources\":[" + string.Join(",", resources) + "]}";

    private static readonly string AtLeastOne = Pack(
        """{"related":{"type":"Microsoft.Web/sites/slots/config","scope":"children","where":{"field":"properties.minTlsVersion","equals":"1.2"}},"greaterOrEquals":1}""",
        resourceType: "Microsoft.Web/sites/slots");

    [Fact]
    public async Task Nothing_read_of_an_uncollected_type_is_an_error_naming_the_type_and_why()
    {
        var finding = Assert.Single(await ScanAsync(Compile(AtLeastOne), Snapshot(true, Site)));

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("Microsoft.Web/sites/slots/config resources were not collected into this snapshot (no Resource Graph table or ARM list the collector reads serves it)", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_was_read_still_decides_when_more_could_not_change_it()
    {
        Assert.Equal(Outcome.Pass, Assert.Single(await ScanAsync(Compile(AtLeastOne), Snapshot(true, Site, SlotConfig))).Outcome);
    }

    [Fact]
    public async Task A_snapshot_that_does_not_list_the_type_as_uncollected_counts_what_it_holds()
    {
        Assert.Equal(Outcome.Fail, Assert.Single(await ScanAsync(Compile(AtLeastOne), Snapshot(false, Site))).Outcome);
    }

    [Fact]
    public async Task None_of_an_uncollected_type_can_never_be_confirmed()
    {
        var none = Pack("""{"related":{"type":"Microsoft.Web/sites/slots/config","scope":"children"},"equals":0}""", resourceType: "Microsoft.Web/sites/slots");

        Assert.Equal(Outcome.Error, Assert.Single(await ScanAsync(Compile(none), Snapshot(true, Site))).Outcome);
    }
}
