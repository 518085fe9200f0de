using System.Security.Cryptography;
using System.Text;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>
/// What every finding of a rule shares — title, pack, severity, category, controls, remediation — kept
/// once per run and rule version instead of once per finding. <see cref="PassReason"/> is the reason
/// of its passes without evidence (they then keep no reason of their own).
/// </summary>
public sealed record RuleMeta
{
    public required string RuleId { get; init; }

    public required string RuleTitle { get; init; }

    public required string PackId { get; init; }

    public required string PackVersion { get; init; }

    public required Severity Severity { get; init; }

    public required RuleCategory Category { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Controls { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public string? Remediation { get; init; }

    public string? PassReason { get; init; }

    /// <summary>SHA-256 of the metadata as stored (32 hex digits): equal metadata, equal key, in every run.</summary>
    public string Digest() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StoreJson.Serialize(this))))[..32];

    /// <summary>The metadata of a finding's rule; a compact pass also names the reason it derives.</summary>
    public static RuleMeta Of(Finding finding, bool compactPass) => new()
    {
        RuleId = finding.RuleId,
        RuleTitle = finding.RuleTitle,
        PackId = finding.PackId,
        PackVersion = finding.PackVersion,
        Severity = finding.Severity,
        Category = finding.Category,
        Controls = finding.Controls,
        Remediation = finding.Remediation,
        PassReason = compactPass ? finding.Reason : null,
    };
}
