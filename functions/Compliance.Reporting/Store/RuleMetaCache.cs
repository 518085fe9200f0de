using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>
/// The rule metadata of findings as they are saved, computed once per rule: the engine gives every
/// finding of a rule the same title, controls and remediation objects, so a hit is a few reference
/// comparisons; anything else is compared by value. Thread-safe.
/// </summary>
internal sealed class RuleMetaCache
{
    private readonly Dictionary<(string RuleId, string PackId, string PackVersion, bool Compact), (RuleMeta Meta, string Digest)> _entries = [];
    private readonly Lock _lock = new();

    public (RuleMeta Meta, string Digest) Of(Finding finding, bool compactPass)
    {
        var key = (finding.RuleId, finding.PackId, finding.PackVersion, compactPass);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && SameReferences(entry.Meta, finding, compactPass))
            {
                return entry;
            }

            var meta = RuleMeta.Of(finding, compactPass);
            entry = (meta, entry.Meta is not null && SameValues(entry.Meta, finding, compactPass) ? entry.Digest : meta.Digest());
            _entries[key] = entry;
            return entry;
        }
    }

    private static bool SameReferences(RuleMeta meta, Finding finding, bool compactPass) =>
        ReferenceEquals(meta.RuleTitle, finding.RuleTitle) && ReferenceEquals(meta.Controls, finding.Controls) && ReferenceEquals(meta.Remediation, finding.Remediation)
        && meta.Severity == finding.Severity && meta.Category == finding.Category && (!compactPass || ReferenceEquals(meta.PassReason, finding.Reason));

    private static bool SameValues(RuleMeta meta, Finding finding, bool compactPass) =>
        meta.RuleTitle == finding.RuleTitle && meta.Remediation == finding.Remediation && meta.Severity == finding.Severity && meta.Category == finding.Category
               && (!compactPass || meta.PassReason == finding.Reason) && SameControls(meta.Controls, finding.Controls);

    private static bool SameControls(IReadOnlyDictionary<string, IReadOnlyList<string>> a, IReadOnlyDictionary<string, IReadOnlyList<string>> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && p.Value.SequenceEqual(other));
}
