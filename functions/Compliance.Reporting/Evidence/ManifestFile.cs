namespace Compliance.Reporting.Evidence;

/// <summary>A file of the evidence folder (a plain name, no folders), its size and SHA-256 (lower-case hex).</summary>
public sealed record ManifestFile(string Name, long Bytes, string Sha256);
