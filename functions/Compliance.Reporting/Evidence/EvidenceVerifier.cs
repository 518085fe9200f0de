using System.Text.Json;

namespace Compliance.Reporting.Evidence;

/// <summary>
/// Checks an evidence folder against its manifest: every listed file present with its SHA-256, no
/// other file, the manifest exactly as written, and its signature with the configured key.
/// </summary>
public static class EvidenceVerifier
{
    public static async Task<VerificationReport> VerifyAsync(string directory, SigningKey? key, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such evidence folder");
        }

        var manifestPath = Path.Combine(directory, EvidenceManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            problems.Add($"missing: {EvidenceManifest.FileName} (nothing can be verified without it)");
            return new VerificationReport(problems, null);
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken);
        EvidenceManifest? manifest;
        try
        {
            manifest = ManifestJson.Parse(bytes);
        }
        catch (JsonException ex)
        {
            problems.Add($"changed: {EvidenceManifest.FileName} is not a valid manifest ({ex.Message.Split(" Path:", 2)[0]})");
            return new VerificationReport(problems, null);
        }

        if (manifest is null)
        {
            problems.Add($"changed: {EvidenceManifest.FileName} is not a valid manifest");
            return new VerificationReport(problems, null);
        }

        if (!bytes.AsSpan().SequenceEqual(ManifestJson.ToBytes(manifest)))
        {
            problems.Add($"changed: {EvidenceManifest.FileName} (its bytes are not the ones the tool wrote)");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal) { EvidenceManifest.FileName };
        foreach (var file in manifest.Files)
        {
            if (file.Name.Length == 0 || file.Name.IndexOfAny(['/', '\\']) >= 0 || file.Name is "." or "..")
            {
                problems.Add($"changed: {EvidenceManifest.FileName} lists '{file.Name}', which is not a plain file name");
                continue;
            }

            listed.Add(file.Name);
            var path = Path.Combine(directory, file.Name);
            if (!File.Exists(path))
            {
                problems.Add($"missing: {file.Name}");
                continue;
            }

            var actual = await EvidenceExporter.DescribeAsync(path, cancellationToken);
            if (!string.Equals(actual.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase) || actual.Bytes != file.Bytes)
            {
                problems.Add($"changed: {file.Name} (sha256 {actual.Sha256}, {actual.Bytes} bytes; the manifest says {file.Sha256}, {file.Bytes} bytes)");
            }
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(directory, entry).Replace('\\', '/');
            if (!listed.Contains(relative) && !Directory.Exists(entry))
            {
                problems.Add($"extra: {relative} (not in the manifest)");
            }
        }

        CheckSignature(manifest, key, problems);
        return new VerificationReport(problems, manifest);
    }

    private static void CheckSignature(EvidenceManifest manifest, SigningKey? key, List<string> problems)
    {
        var signature = manifest.Signature;
        if (signature is null)
        {
            if (key is not null)
            {
                problems.Add("bad signature: the manifest is not signed, but a signing key is configured (a signature may have been stripped)");
            }

            return;
        }

        if (key is null)
        {
            problems.Add($"unverified signature: the manifest is signed with key {signature.KeyId}, but no signing key is configured (--signing-key-file or COMPLIANCE_SIGNING_KEY)");
            return;
        }

        byte[] value;
        try
        {
            value = Convert.FromBase64String(signature.Value);
        }
        catch (FormatException)
        {
            problems.Add("bad signature: the signature is not base64");
            return;
        }

        // Base64 has unused bits in its last character: "…BL4=" and "…BL5=" decode to the same bytes.
        // The tool writes the canonical form, so any other spelling is a changed manifest.
        if (!string.Equals(Convert.ToBase64String(value), signature.Value, StringComparison.Ordinal))
        {
            problems.Add("bad signature: the signature is not the base64 the tool writes (it was changed)");
            return;
        }

        if (signature.Algorithm != ManifestSignature.HmacSha256)
        {
            problems.Add($"bad signature: unknown algorithm '{signature.Algorithm}' (expected {ManifestSignature.HmacSha256})");
        }
        else if (signature.KeyId != key.KeyId)
        {
            // The key id is not covered by the HMAC: it must match the configured key exactly.
            problems.Add($"bad signature: the manifest says it was signed with key {signature.KeyId}; the configured key is {key.KeyId}");
        }
        else if (!key.Verify(ManifestJson.SignedBytes(manifest), value))
        {
            problems.Add("bad signature: the manifest's HMAC-SHA256 does not match");
        }
    }
}
