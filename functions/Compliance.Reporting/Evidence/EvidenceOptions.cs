namespace Compliance.Reporting.Evidence;

/// <summary>Where the evidence-signing key comes from locally (section "Evidence"); the Functions app reads it from Key Vault.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>A file holding the key (its text, surrounding whitespace ignored).</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>An environment variable holding the key, used when no file is given.</summary>
    public string SigningKeyEnvironmentVariable { get; set; } = "COMPLIANCE_SIGNING_KEY";
}
