namespace Compliance.Reporting.Suppressions;

/// <summary>
/// What every suppression must be, wherever it is kept (a file or the store): a rule, one way to
/// name resources, a justification and an owner, an expiry within the maximum lifetime, and
/// <c>"broad": true</c> when it covers every rule or every resource. Each problem names the field.
/// </summary>
public static class SuppressionRules
{
    /// <summary>The problems of one suppression as (field, message); empty when it is valid.</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(Suppression suppression, DateTimeOffset now, SuppressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(suppression);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(suppression.RuleId))
        {
            problems.Add(("ruleId", "'ruleId' must name a rule or a pattern of rules"));
        }

        if ((suppression.ResourceId is null) == (suppression.ResourcePattern is null))
        {
            problems.Add(("resourceId", "give exactly one of 'resourceId' or 'resourcePattern'"));
        }

        if (string.IsNullOrWhiteSpace(suppression.Justification))
        {
            problems.Add(("justification", "'justification' must not be blank"));
        }

        if (string.IsNullOrWhiteSpace(suppression.Owner))
        {
            problems.Add(("owner", "'owner' must not be blank"));
        }

        if (LifetimeProblem(suppression.ExpiresOn, now, options) is { } lifetime)
        {
            problems.Add(("expiresOn", lifetime));
        }

        if (BroadProblem(suppression) is { } broad)
        {
            problems.Add(("broad", broad));
        }

        return problems;
    }

    public static string? LifetimeProblem(DateTimeOffset expiresOn, DateTimeOffset now, SuppressionOptions options, string? asWritten = null) =>
        expiresOn - now > options.MaxLifetime
            ? $"'{asWritten ?? Core.Findings.IsoTime.Seconds(expiresOn)}' is more than {options.MaxLifetime.TotalDays:0} days from now ({now:yyyy-MM-dd}): a suppression may last at most {options.MaxLifetime.TotalDays:0} days; review it and set an earlier expiry"
            : null;

    public static string? BroadProblem(Suppression suppression) =>
        suppression is { Broad: false, CoversEverything: { } what }
            ? $"{what}: a suppression that covers every rule or every resource must say \"broad\": true (it is then listed as broad in every output)"
            : null;
}
