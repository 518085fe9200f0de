using Compliance.Cli.Output;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Tests;

public sealed class SummaryListTests
{
    private static StoredFinding Problem(int i, Severity severity) => new(
        new Finding
        {
            FindingId = $"f{i}",
            RuleId = "R-1",
            RuleTitle = "rule",
            PackId = "p",
            PackVersion = "1",
            ResourceId = $"/subscriptions/s/r/{i}",
            ResourceName = $"r{i}",
            ResourceType = "T/x",
            Outcome = Outcome.Fail,
            Severity = severity,
            Category = RuleCategory.Firewall,
            Reason = "x",
        },
        "/subscriptions/s");

    [Fact]
    public void Keeps_the_most_severe_findings_up_to_its_capacity_and_counts_the_rest()
    {
        var list = new SummaryList(3);
        for (var i = 0; i < 1000; i++)
        {
            list.Add(Problem(i, i == 500 ? Severity.Critical : i % 97 == 0 ? Severity.High : Severity.Low));
        }

        Assert.Equal(1000, list.Total);
        Assert.Equal(997, list.Omitted);
        var shown = list.ToList();
        Assert.Equal(3, shown.Count);
        Assert.Equal("r500", shown[0].Finding.ResourceName);
        Assert.All(shown.Skip(1), f => Assert.Equal(Severity.High, f.Finding.Severity));
    }
}
