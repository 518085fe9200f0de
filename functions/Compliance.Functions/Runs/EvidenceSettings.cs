namespace Compliance.Functions.Runs;

/// <summary>The evidence written when a run is finalised (section "Evidence").</summary>
public sealed class EvidenceSettings
{
    public const string Section = "Evidence";

    /// <summary>The Key Vault secret holding the evidence-signing key (HMAC-SHA256 over manifest.json). Empty: evidence is not signed.</summary>
    public string? SigningKeySecret { get; set; } = "evidence-signing-key";

    /// <summary>controls.csv only for these frameworks; empty: every framework the rules map to.</summary>
    public List<string> Frameworks { get; set; } = [];
}
