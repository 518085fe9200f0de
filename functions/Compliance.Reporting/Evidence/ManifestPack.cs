namespace Compliance.Reporting.Evidence;

/// <summary>A rule pack of the run, with the SHA-256 of its file.</summary>
public sealed record ManifestPack(string Id, string Version, string ContentHash);
