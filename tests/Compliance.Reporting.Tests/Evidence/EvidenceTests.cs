using Compliance.Core.Findings;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Evidence;

public sealed class EvidenceTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compliance-evidence-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(T0);
    private SqliteReportStore _store = null!;
    private RunRecord _run = null!;

    private string Folder => Path.Combine(_root, "evidence");

    private static SigningKey Key => SigningKey.FromText("correct horse battery staple 42");

    public async Task InitializeAsync()
    {
        _store = new SqliteReportStore(Options.Create(new SqliteStoreOptions { Path = Path.Combine(_root, "store.db") }));
        await _store.CreateRunAsync(Run("run-1", T0, Tenant, Prod));
        await _store.SaveFindingsAsync("run-1", [
            Finding("AZ-ENC-001", Resource(Prod, "=evil"), Outcome.Fail) with { ResourceName = "=evil", Tags = new Dictionary<string, string> { ["x"] = "@y" } },
            Finding("AZ-ENC-002", Resource(Prod, "st2"), Outcome.Pass),
        ]);
        await _store.CompleteScopesAsync("run-1", [new ScopeCompletion(Prod, ScopeStatus.Ok, T0)]);
        _run = (await new RunFinalizer(_store, _time, Options.Create(new ReportStoreOptions())).TryFinalizeAsync("run-1"))!;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private Task<EvidenceManifest> ExportAsync(SigningKey? key) =>
        new EvidenceExporter(_store, _time).ExportAsync(new EvidenceRequest { Run = _run, Directory = Folder, ToolVersion = "1.2.3", SigningKey = key, Frameworks = ["NIST-800-53-r5"] });

    [Fact]
    public async Task An_exported_folder_verifies_with_its_manifest_and_signature()
    {
        var manifest = await ExportAsync(Key);

        Assert.Equal(["findings.csv", "controls.csv", "controls-summary.csv"], manifest.Files.Select(f => f.Name));
        Assert.Equal(("run-1", Tenant, "1.2.3", "completed"), (manifest.RunId, manifest.TenantId, manifest.ToolVersion, manifest.RunStatus));
        Assert.Equal(new string('a', 64), Assert.Single(manifest.Packs).ContentHash);
        Assert.Equal(["NIST-800-53-r5"], manifest.Frameworks);
        Assert.Equal((ManifestSignature.HmacSha256, Key.KeyId), (manifest.Signature!.Algorithm, manifest.Signature.KeyId));
        var report = await EvidenceVerifier.VerifyAsync(Folder, Key);
        Assert.True(report.Verified, string.Join("\n", report.Problems));
        Assert.True(report.Signed);
        Assert.Contains("NIST-800-53-r5", await File.ReadAllTextAsync(Path.Combine(Folder, "controls.csv")), StringComparison.Ordinal);
        Assert.DoesNotContain("CIS-Azure-3.0.0", await File.ReadAllTextAsync(Path.Combine(Folder, "controls.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_spelt_in_another_base64_form_of_the_same_bytes_is_refused()
    {
        var manifest = await ExportAsync(Key);
        var path = Path.Combine(Folder, "manifest.json");
        var value = manifest.Signature!.Value;

        // The last character before '=' carries unused bits: flipping the lowest bit of its 6-bit value
        // (its place in the base64 alphabet, not its ASCII code) decodes to the same HMAC.
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var last = value.TrimEnd('=').Length - 1;
        var twin = value[..last] + Alphabet[Alphabet.IndexOf(value[last], StringComparison.Ordinal) ^ 0x01] + value[(last + 1)..];
        Assert.Equal(Convert.FromBase64String(value), Convert.FromBase64String(twin));
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace(value, twin, StringComparison.Ordinal));

        var report = await EvidenceVerifier.VerifyAsync(Folder, Key);
        Assert.False(report.Verified);
        Assert.Contains(report.Problems, p => p.Contains("not the base64 the tool writes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_any_byte_of_any_file_fails_verification()
    {
        await ExportAsync(Key);
        foreach (var name in new[] { "findings.csv", "controls.csv", "controls-summary.csv", "manifest.json" })
        {
            var path = Path.Combine(Folder, name);
            var original = await File.ReadAllBytesAsync(path);
            for (var i = 0; i < original.Length; i++)
            {
                var changed = original.ToArray();
                changed[i] ^= 0x01;
                await File.WriteAllBytesAsync(path, changed);
                var report = await EvidenceVerifier.VerifyAsync(Folder, Key);
                Assert.False(report.Verified, $"{name}: changing byte {i} went unnoticed");
            }

            await File.WriteAllBytesAsync(path, original);
        }

        Assert.True((await EvidenceVerifier.VerifyAsync(Folder, Key)).Verified);
    }

    [Fact]
    public async Task Missing_extra_and_unsigned_or_wrongly_signed_folders_are_reported()
    {
        await ExportAsync(Key);
        File.Delete(Path.Combine(Folder, "controls.csv"));
        await File.WriteAllTextAsync(Path.Combine(Folder, "notes.txt"), "planted");
        Directory.CreateDirectory(Path.Combine(Folder, "sub"));
        await File.WriteAllTextAsync(Path.Combine(Folder, "sub", "more.csv"), "planted");

        var report = await EvidenceVerifier.VerifyAsync(Folder, SigningKey.FromText("another key that is long enough"));

        Assert.Contains("missing: controls.csv", report.Problems);
        Assert.Contains("extra: notes.txt (not in the manifest)", report.Problems);
        Assert.Contains("extra: sub/more.csv (not in the manifest)", report.Problems);
        Assert.Contains(report.Problems, p => p.StartsWith("bad signature: the manifest says it was signed with key", StringComparison.Ordinal));
        Assert.Contains((await EvidenceVerifier.VerifyAsync(Folder, null)).Problems, p => p.StartsWith("unverified signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unsigned_folder_verifies_without_a_key_but_not_when_a_key_is_expected()
    {
        var manifest = await ExportAsync(null);

        Assert.Null(manifest.Signature);
        Assert.True((await EvidenceVerifier.VerifyAsync(Folder, null)).Verified);
        Assert.Contains((await EvidenceVerifier.VerifyAsync(Folder, Key)).Problems, p => p.StartsWith("bad signature: the manifest is not signed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_refuses_a_folder_with_other_files_and_keys_that_are_too_short()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "old.txt"), "x");

        await Assert.ThrowsAsync<EvidenceException>(() => ExportAsync(Key));
        Assert.Throws<EvidenceException>(() => SigningKey.FromText("short"));
    }

    [Fact]
    public void The_signing_key_comes_from_a_file_or_else_the_environment()
    {
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "key.txt");
        File.WriteAllText(file, "  correct horse battery staple 42\n");

        Assert.Equal(Key.KeyId, SigningKey.Load(new EvidenceOptions { SigningKeyFile = file }, _ => null)!.KeyId);
        Assert.Equal(Key.KeyId, SigningKey.Load(new EvidenceOptions(), name => name == "COMPLIANCE_SIGNING_KEY" ? "correct horse battery staple 42" : null)!.KeyId);
        Assert.Null(SigningKey.Load(new EvidenceOptions(), _ => null));
        Assert.Throws<EvidenceException>(() => SigningKey.Load(new EvidenceOptions { SigningKeyFile = Path.Combine(_root, "missing.txt") }, _ => null));
    }

    [Fact]
    public async Task An_unknown_framework_writes_nothing_and_names_the_known_ones()
    {
        var exporter = new EvidenceExporter(_store, _time);

        var ex = await Assert.ThrowsAsync<EvidenceException>(() => exporter.ExportAsync(new EvidenceRequest { Run = _run, Directory = Folder, ToolVersion = "1.2.3", Frameworks = ["NIST-800-53"] }));

        Assert.Equal(
            "unknown framework 'NIST-800-53': the known frameworks are CIS-Azure-3.0.0, ISO-27001-2022, NIST-800-53-r5 (names as rules write them under \"controls\"; case does not matter)",
            ex.Message);
        Assert.False(Directory.Exists(Folder));

        var lower = await exporter.ExportAsync(new EvidenceRequest { Run = _run, Directory = Folder, ToolVersion = "1.2.3", Frameworks = ["nist-800-53-r5"] });
        Assert.Contains("\"NIST-800-53-r5\",\"SC-8\",\"Transmission Confidentiality and Integrity\"", await File.ReadAllTextAsync(Path.Combine(Folder, "controls.csv")), StringComparison.Ordinal);
        Assert.Equal(3, lower.Files.Count);
    }
}
