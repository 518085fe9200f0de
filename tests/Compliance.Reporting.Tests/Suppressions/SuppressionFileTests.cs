using System.Text;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Tests.Suppressions;

public sealed class SuppressionFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static IReadOnlyList<Suppression> Parse(string json, SuppressionOptions? options = null) =>
        SuppressionFile.Parse(Encoding.UTF8.GetBytes(json), "suppressions.json", Now, options ?? new SuppressionOptions());

    private static List<string> Problems(string json, SuppressionOptions? options = null) =>
        Assert.Throws<SuppressionFileException>(() => Parse(json, options)).Diagnostics.Select(d => d.ToString()).ToList();

    [Fact]
    public void A_valid_file_gives_each_suppression_with_its_source_line()
    {
        var suppressions = Parse("""
            {
              "suppressions": [
                { "ruleId": "AZ-ENC-001", "resourceId": "/subscriptions/s/x", "justification": "Legacy client until March.", "owner": "alice", "expiresOn": "2027-03-31" },
                { "id": "web", "ruleId": "AZ-FW-*", "resourcePattern": "*/rg-web/*", "tag": { "name": "exception", "value": "CHG-1" },
                  "justification": "Migration.", "owner": "bob", "expiresOn": "2026-12-01T12:00:00Z" }
              ]
            }
            """);

        Assert.Equal(2, suppressions.Count);
        Assert.Equal(new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero), suppressions[0].ExpiresOn); // valid through the 31st
        Assert.Equal("suppressions.json:3", suppressions[0].Source);
        Assert.StartsWith("s-", suppressions[0].Id, StringComparison.Ordinal);
        Assert.Equal("web", suppressions[1].Id);
        Assert.Equal(new SuppressionTag("exception", "CHG-1"), suppressions[1].Tag);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), suppressions[1].ExpiresOn);
    }

    [Fact]
    public void Every_problem_names_the_file_line_column_and_json_path()
    {
        var problems = Problems("""
            {
              "suppressions": [
                { "ruleId": "AZ-ENC-001", "resourceId": "/x", "owner": "alice", "expiresOn": "2027-03-31" },
                { "ruleId": "AZ-ENC-001", "resourceId": "/x", "resourcePattern": "/x*", "justification": "j", "owner": "alice", "expiresOn": "2027-03-31" },
                { "ruleId": "AZ-ENC-001", "resourceId": "/x", "justification": "j", "owner": "alice", "expiresOn": "next tuesday" },
                { "ruleId": "AZ-ENC-001", "resourceId": "/x", "justification": "j", "owner": "alice", "expiresOn": "2029-01-01", "ownr": "typo" },
                { "ruleId": "AZ-ENC-001", "justification": "  ", "owner": "alice", "expiresOn": "2027-01-01" }
              ]
            }
            """);

        Assert.Contains("suppressions.json:3:5: $.suppressions[0]: missing required property 'justification'", problems);
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:4:", StringComparison.Ordinal) && p.Contains("$.suppressions[1].resourcePattern: give either 'resourceId' or 'resourcePattern', not both", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:5:", StringComparison.Ordinal) && p.Contains("$.suppressions[2].expiresOn: 'next tuesday' is not a date", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:6:", StringComparison.Ordinal) && p.Contains("$.suppressions[3].expiresOn: '2029-01-01' is more than 365 days from now", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:6:", StringComparison.Ordinal) && p.Contains("unknown property 'ownr'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:7:", StringComparison.Ordinal) && p.Contains("$.suppressions[4]: missing 'resourceId' or 'resourcePattern'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("suppressions.json:7:", StringComparison.Ordinal) && p.Contains("$.suppressions[4].justification: 'justification' must not be blank", StringComparison.Ordinal));
    }

    [Fact]
    public void The_maximum_lifetime_is_configurable()
    {
        const string Json = """{ "suppressions": [ { "ruleId": "R", "resourceId": "/x", "justification": "j", "owner": "o", "expiresOn": "2027-01-15" } ] }""";

        Assert.Single(Parse(Json));
        Assert.Contains(Problems(Json, new SuppressionOptions { MaxLifetime = TimeSpan.FromDays(30) }), p => p.Contains("at most 30 days", StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_an_object_gets_a_schema_error_rather_than_a_crash()
    {
        var problems = Problems("[]");

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.StartsWith("suppressions.json:1:", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_line()
    {
        var problem = Assert.Single(Problems("{\n  \"suppressions\": [\n    { \"ruleId\": \"R\",, }\n  ]\n}"));

        Assert.StartsWith("suppressions.json:3:", problem, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_are_reported()
    {
        var problems = Problems("""
            { "suppressions": [
              { "id": "a", "ruleId": "R", "resourceId": "/x", "justification": "j", "owner": "o", "expiresOn": "2027-01-15" },
              { "id": "a", "ruleId": "R", "resourceId": "/y", "justification": "j", "owner": "o", "expiresOn": "2027-01-15" } ] }
            """);

        Assert.Contains(problems, p => p.Contains("$.suppressions[1].id: duplicate suppression id 'a' (first at line 2)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        var ex = Assert.Throws<SuppressionFileException>(() => SuppressionFile.Load("/nonexistent/suppressions.json", Now, new SuppressionOptions()));

        Assert.Contains("/nonexistent/suppressions.json:1:1: $: the suppressions file does not exist", ex.Message, StringComparison.Ordinal);
    }
}
