using Compliance.Core.Findings;
using Compliance.Reporting.Suppressions;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Suppressions;

public sealed class SuppressionSetTests
{
    private static Suppression Make(string id, DateTimeOffset expires, string? resourceId = null, string? pattern = null, SuppressionTag? tag = null, string rule = "AZ-ENC-001") => new()
    {
        Id = id,
        RuleId = rule,
        ResourceId = resourceId,
        ResourcePattern = pattern,
        Tag = tag,
        Justification = "Accepted: " + id,
        Owner = "alice",
        ExpiresOn = expires,
    };

    [Fact]
    public void A_failing_finding_covered_by_an_active_suppression_is_suppressed_with_its_justification_and_expiry()
    {
        var resource = Resource(Prod, "st1");
        var set = new SuppressionSet([Make("exact", T0.AddDays(10), resourceId: resource.ToUpperInvariant())], T0);

        var result = set.Apply(Finding("AZ-ENC-001", resource, Outcome.Fail));

        Assert.Equal(Outcome.Suppressed, result.Outcome);
        Assert.Equal("Accepted: exact (owner: alice)", result.SuppressionJustification);
        Assert.Equal(T0.AddDays(10), result.SuppressionExpiresOn);
        Assert.Equal(1, set.ActiveMatches(set.Active[0]));
    }

    [Fact]
    public void Patterns_rule_globs_and_tags_narrow_what_is_covered()
    {
        var tagged = Finding("AZ-ENC-002", Resource(Prod, "st1"), Outcome.Fail) with { Tags = new Dictionary<string, string> { ["Exception"] = "chg-1" } };
        var untagged = Finding("AZ-ENC-002", Resource(Prod, "st2"), Outcome.Fail);
        var set = new SuppressionSet([Make("by-tag", T0.AddDays(1), pattern: "/subscriptions/*/storageAccounts/st?", tag: new SuppressionTag("exception", "CHG-1"), rule: "AZ-ENC-*")], T0);

        Assert.Equal(Outcome.Suppressed, set.Apply(tagged).Outcome);
        Assert.Equal(Outcome.Fail, set.Apply(untagged).Outcome);
        Assert.Equal(Outcome.Fail, set.Apply(Finding("AZ-FW-001", Resource(Prod, "st1"), Outcome.Fail) with { Tags = tagged.Tags }).Outcome);
    }

    [Fact]
    public void An_expired_suppression_stops_applying_and_counts_what_it_would_have_covered()
    {
        var resource = Resource(Prod, "st1");
        var set = new SuppressionSet([Make("old", T0, resourceId: resource)], T0);

        var result = set.Apply(Finding("AZ-ENC-001", resource, Outcome.Fail));

        Assert.Equal(Outcome.Fail, result.Outcome);
        Assert.Null(result.SuppressionJustification);
        var expired = Assert.Single(set.Expired);
        Assert.Equal(1, set.ExpiredMatches(expired));
        Assert.Empty(set.Active);
    }

    [Theory]
    [InlineData(Outcome.Pass)]
    [InlineData(Outcome.Error)]
    public void Only_failing_findings_are_suppressed(Outcome outcome)
    {
        var resource = Resource(Prod, "st1");
        var set = new SuppressionSet([Make("any", T0.AddDays(1), pattern: "*")], T0);

        Assert.Equal(outcome, set.Apply(Finding("AZ-ENC-001", resource, outcome)).Outcome);
    }
}
