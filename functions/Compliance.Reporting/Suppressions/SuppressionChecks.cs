using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// What a schema cannot say about the entries of one suppressions file, for both of its readers:
/// exactly one of a resource id and a pattern, a justification and an owner that are not blank, an
/// expiry that parses and lies within the maximum lifetime, <c>"broad": true</c> where it is needed,
/// an id (given, or derived from what the entry matches) that no earlier entry has.
/// </summary>
internal sealed class SuppressionChecks(string file, DateTimeOffset now, SuppressionOptions options)
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Suppression> _suppressions = [];
    private readonly string _fileName = Path.GetFileName(file);

    /// <summary>The entries accepted so far, in file order.</summary>
    public List<Suppression> Suppressions => _suppressions;

    /// <summary>
    /// Accepts the entry, or reports each reason it cannot be accepted through <paramref name="problem"/>:
    /// the property at fault (null: the item itself) and the message.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(SuppressionEntry entry, Action<string?, string> problem)
    {
        var suppression = Build(entry, problem);
        if (suppression is null)
        {
            return;
        }

        if (_ids.TryGetValue(suppression.Id, out var firstLine))
        {
            problem("id", $"duplicate suppression id '{suppression.Id}' (first at line {firstLine}); give each entry its own id");
            return;
        }

        _ids[suppression.Id] = entry.Line;
        _suppressions.Add(suppression);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Suppression? Build(SuppressionEntry entry, Action<string?, string> problem)
    {
        var ok = true;
        if (entry.ResourceId is not null && entry.ResourcePattern is not null)
        {
            problem("resourcePattern", "give either 'resourceId' or 'resourcePattern', not both");
            ok = false;
        }
        else if (entry.ResourceId is null && entry.ResourcePattern is null)
        {
            problem(null, "missing 'resourceId' or 'resourcePattern': say which resource(s) the suppression covers (\"*\" with a 'tag' for every resource with that tag)");
            ok = false;
        }

        ok &= NotBlank("justification", entry.Justification, problem);
        ok &= NotBlank("owner", entry.Owner, problem);

        DateTimeOffset expiresOn = default;
        if (entry.ExpiresOn is { } text)
        {
            if (!SuppressionFile.TryParseExpiry(text, out expiresOn))
            {
                problem("expiresOn", $"'{text}' is not a date (2027-03-31) or an ISO-8601 date-time (2027-03-31T12:00:00Z) before 9999-12-31");
                ok = false;
            }
            else if (SuppressionRules.LifetimeProblem(expiresOn, now, options, text) is { } lifetime)
            {
                problem("expiresOn", lifetime);
                ok = false;
            }
        }

        if (!ok || entry.RuleId is not { } ruleId || entry.Justification is not { } justification || entry.Owner is not { } owner || !entry.ExpiresOnGiven)
        {
            return null;
        }

        var suppression = new Suppression
        {
            Id = entry.Id ?? DerivedId(ruleId, entry.ResourceId ?? entry.ResourcePattern!, entry.Tag),
            RuleId = ruleId,
            ResourceId = entry.ResourceId,
            ResourcePattern = entry.ResourcePattern,
            Tag = entry.Tag,
            Justification = justification.Trim(),
            Owner = owner.Trim(),
            ExpiresOn = expiresOn,
            Source = $"{_fileName}:{entry.Line}",
            Broad = entry.Broad,
        };
        if (SuppressionRules.BroadProblem(suppression) is { } tooBroad)
        {
            problem(null, tooBroad);
            return null;
        }

        return suppression;
    }

    private static bool NotBlank(string name, string? value, Action<string?, string> problem)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            problem(name, $"'{name}' must not be blank");
            return false;
        }

        return true;
    }

    private static string DerivedId(string ruleId, string resource, SuppressionTag? tag)
    {
        var text = $"{ruleId.ToUpperInvariant()}\n{resource.ToLowerInvariant()}\n{tag?.Name.ToLowerInvariant()}={tag?.Value}";
        return "s-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
