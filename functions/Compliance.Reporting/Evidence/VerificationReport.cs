namespace Compliance.Reporting.Evidence;

/// <summary>The result of verifying an evidence folder: each problem ("changed: …", "missing: …", "extra: …", "bad signature: …").</summary>
public sealed record VerificationReport(IReadOnlyList<string> Problems, EvidenceManifest? Manifest)
{
    public bool Verified => Problems.Count == 0;

    public bool Signed => Manifest?.Signature is not null;
}
