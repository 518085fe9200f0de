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

    [Fact]
    public void The_longest_lasting_match_wins_whether_it_names_the_resource_the_rule_or_a_pattern()
    {
        var resource = Resource(Prod, "st1");
        var set = new SuppressionSet(
            [
                Make("exact", T0.AddDays(5), resourceId: resource),
                Make("pattern", T0.AddDays(20), pattern: "*/st1"),
                Make("glob", T0.AddDays(10), pattern: "*", rule: "AZ-*"),
                Make("other", T0.AddDays(90), resourceId: Resource(Prod, "st2")),
            ],
            T0);

        var result = set.Apply(Finding("AZ-ENC-001", resource, Outcome.Fail));

        Assert.Equal(("pattern", T0.AddDays(20)), (result.SuppressionId, result.SuppressionExpiresOn!.Value));
    }

    [Fact]
    public void Forty_six_thousand_suppressions_of_one_resource_each_are_found_by_rule_and_resource()
    {
        var suppressions = Enumerable.Range(0, 46_000).Select(i => Make($"s{i}", T0.AddDays(30), resourceId: Resource(Prod, $"st{i}"))).ToList();
        var set = new SuppressionSet(suppressions, T0);

        Assert.Equal(Outcome.Suppressed, set.Apply(Finding("AZ-ENC-001", Resource(Prod, "st45999"), Outcome.Fail)).Outcome);
        Assert.Equal("s123", set.Apply(Finding("AZ-ENC-001", Resource(Prod, "ST123"), Outcome.Fail)).SuppressionId);
        Assert.Equal(Outcome.Fail, set.Apply(Finding("AZ-ENC-002", Resource(Prod, "st1"), Outcome.Fail)).Outcome);
        Assert.Equal(Outcome.Fail, set.Apply(Finding("AZ-ENC-001", Resource(Prod, "st46000"), Outcome.Fail)).Outcome);
    }

    [Theory]
    [InlineData("*", "/subscriptions/x/rg/y", null, "ruleId '*' matches every rule")]
    [InlineData("**?", "/subscriptions/x/rg/y", null, "matches every rule")]
    [InlineData("AZ-ENC-001", "*", null, "resourcePattern '*' matches every resource")]
    [InlineData("AZ-ENC-001", "/subscriptions/*", null, "matches every resource")]
    [InlineData("AZ-ENC-001", "*/*", null, "matches every resource")]
    [InlineData("AZ-ENC-001", "*", "exception", null)]
    [InlineData("AZ-ENC-*", "/subscriptions/*/resourceGroups/rg-web/*", null, null)]
    public void A_suppression_that_covers_every_rule_or_every_resource_must_say_broad(string rule, string pattern, string? tag, string? problem)
    {
        var suppression = Make("s", T0.AddDays(1), pattern: pattern, rule: rule, tag: tag is null ? null : new SuppressionTag(tag));

        var problems = SuppressionRules.Problems(suppression, T0, new SuppressionOptions());

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            var (field, message) = Assert.Single(problems);
            Assert.Equal("broad", field);
            Assert.Contains(problem, message, StringComparison.Ordinal);
            Assert.Empty(SuppressionRules.Problems(suppression with { Broad = true }, T0, new SuppressionOptions()));
        }
    }

    [Fact]
    public void A_suppression_kept_in_the_store_is_checked_for_every_field_the_file_requires()
    {
        var bad = Make("bad", new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero), pattern: "*", rule: " ") with { Justification = " ", Owner = "", ResourceId = "/x" };

        var fields = SuppressionRules.Problems(bad, T0, new SuppressionOptions()).Select(p => p.Field).ToList();

        Assert.Equal(["ruleId", "resourceId", "justification", "owner", "expiresOn", "broad"], fields);
    }
}
