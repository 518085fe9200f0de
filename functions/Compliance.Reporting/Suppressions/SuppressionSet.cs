using Compliance.Core.Findings;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// Applies suppressions to findings as of one moment: a failing finding covered by an active
/// suppression becomes <see cref="Outcome.Suppressed"/> with its justification and expiry; an
/// expired one no longer applies and is counted, so that it can be reported. Suppressions are
/// indexed by rule id (and resource id), so the cost of a finding does not grow with their number.
/// </summary>
public sealed class SuppressionSet
{
    private readonly Index _active;
    private readonly Index _expired;
    private readonly Dictionary<string, int> _expiredMatches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _activeMatches = new(StringComparer.Ordinal);

    public SuppressionSet(IEnumerable<Suppression> suppressions, DateTimeOffset now)
    {
        var all = suppressions.ToList();

        // The one that lasts longest wins when several cover a finding: its expiry is what the finding shows.
        Active = all.Where(s => !s.IsExpired(now)).OrderByDescending(s => s.ExpiresOn).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        Expired = all.Where(s => s.IsExpired(now)).OrderBy(s => s.ExpiresOn).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        _active = new Index(Active);
        _expired = new Index(Expired);
    }

    public static SuppressionSet Empty { get; } = new([], DateTimeOffset.MinValue);

    public IReadOnlyList<Suppression> Active { get; }

    public IReadOnlyList<Suppression> Expired { get; }

    /// <summary>Active suppressions that cover every rule or every resource (declared <c>"broad": true</c>).</summary>
    public IEnumerable<Suppression> Broad => Active.Where(s => s.Broad);

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

        if (_active.Find(finding) is { } suppression)
        {
            lock (_activeMatches)
            {
                _activeMatches[suppression.Id] = ActiveMatches(suppression) + 1;
            }

            return finding with
            {
                Outcome = Outcome.Suppressed,
                SuppressionJustification = $"{suppression.Justification} (owner: {suppression.Owner})",
                SuppressionExpiresOn = suppression.ExpiresOn,
                SuppressionId = suppression.Id,
                SuppressionBroad = suppression.Broad ? true : null,
            };
        }

        if (_expired.Find(finding) is { } expired)
        {
            lock (_expiredMatches)
            {
                _expiredMatches[expired.Id] = ExpiredMatches(expired) + 1;
            }
        }

        return finding;
    }

    /// <summary>
    /// Suppressions by exact rule id then exact resource id, with the pattern ones apart; each list
    /// keeps the set's order, so the first match of each list competes and the set's order decides.
    /// </summary>
    private sealed class Index
    {
        private readonly Dictionary<string, Dictionary<string, List<(int Order, Suppression S)>>> _exact = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<(int Order, Suppression S)>> _byRule = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<(int Order, Suppression S)> _rulePatterns = [];

        public Index(IReadOnlyList<Suppression> ordered)
        {
            for (var i = 0; i < ordered.Count; i++)
            {
                var s = ordered[i];
                if (s.HasRulePattern)
                {
                    _rulePatterns.Add((i, s));
                }
                else if (s.ResourceId is { } resource)
                {
                    if (!_exact.TryGetValue(s.RuleId, out var byResource))
                    {
                        _exact[s.RuleId] = byResource = new Dictionary<string, List<(int, Suppression)>>(StringComparer.OrdinalIgnoreCase);
                    }

                    if (!byResource.TryGetValue(resource, out var list))
                    {
                        byResource[resource] = list = [];
                    }

                    list.Add((i, s));
                }
                else
                {
                    if (!_byRule.TryGetValue(s.RuleId, out var list))
                    {
                        _byRule[s.RuleId] = list = [];
                    }

                    list.Add((i, s));
                }
            }
        }

        public Suppression? Find(Finding finding)
        {
            (int Order, Suppression S)? best = null;
            void Consider(List<(int Order, Suppression S)>? list)
            {
                if (list is null)
                {
                    return;
                }

                foreach (var candidate in list)
                {
                    if (best is { } b && b.Order < candidate.Order)
                    {
                        return;
                    }

                    if (candidate.S.Matches(finding))
                    {
                        best = candidate;
                        return;
                    }
                }
            }

            if (_exact.TryGetValue(finding.RuleId, out var byResource) && byResource.TryGetValue(finding.ResourceId, out var exact))
            {
                Consider(exact);
            }

            Consider(_byRule.GetValueOrDefault(finding.RuleId));
            Consider(_rulePatterns.Count == 0 ? null : _rulePatterns);
            return best?.S;
        }
    }
}
