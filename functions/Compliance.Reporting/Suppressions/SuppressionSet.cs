using Compliance.Core.Findings;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// Applies suppressions to findings as of one moment: a failing finding covered by an active
/// suppression becomes <see cref="Outcome.Suppressed"/> with its justification and expiry; an
/// expired one no longer applies and is counted, so that it can be reported.
/// </summary>
public sealed class SuppressionSet
{
    private readonly List<Suppression> _active;
    private readonly List<Suppression> _expired;
    private readonly Dictionary<string, int> _expiredMatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _activeMatches = new(StringComparer.Ordinal);

    public SuppressionSet(IEnumerable<Suppression> suppressions, DateTimeOffset now)
    {
        var all = suppressions.ToList();

        // The one that lasts longest wins when several cover a finding: its expiry is what the finding shows.
        _active = all.Where(s => !s.IsExpired(now)).OrderByDescending(s => s.ExpiresOn).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        _expired = all.Where(s => s.IsExpired(now)).OrderBy(s => s.ExpiresOn).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
    }

    public static SuppressionSet Empty { get; } = new([], DateTimeOffset.MinValue);

    public IReadOnlyList<Suppression> Active => _active;

    public IReadOnlyList<Suppression> Expired => _expired;

    /// <summary>Failing findings an expired suppression would have covered, by suppression id.</summary>
    public int ExpiredMatches(Suppression suppression) => _expiredMatches.GetValueOrDefault(suppression.Id);

    public int ActiveMatches(Suppression suppression) => _activeMatches.GetValueOrDefault(suppression.Id);

    /// <summary>Only failing findings are suppressed: a pass needs nothing, and an error (what could not be read) cannot be accepted away.</summary>
    public Finding Apply(Finding finding)
    {
        if (finding.Outcome != Outcome.Fail)
        {
            return finding;
        }

        foreach (var suppression in _active)
        {
            if (suppression.Matches(finding))
            {
                _activeMatches[suppression.Id] = ActiveMatches(suppression) + 1;
                return finding with
                {
                    Outcome = Outcome.Suppressed,
                    SuppressionJustification = $"{suppression.Justification} (owner: {suppression.Owner})",
                    SuppressionExpiresOn = suppression.ExpiresOn,
                };
            }
        }

        foreach (var suppression in _expired)
        {
            if (suppression.Matches(finding))
            {
                _expiredMatches[suppression.Id] = ExpiredMatches(suppression) + 1;
                break;
            }
        }

        return finding;
    }
}
