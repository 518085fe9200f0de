using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Reporting.Evidence;

/// <summary>
/// The one way a manifest is written. Verification re-writes the manifest it read and compares the
/// bytes, so a changed byte anywhere in manifest.json (even a space) is detected.
/// </summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new(ManifestJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToBytes(EvidenceManifest manifest) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, Options).ReplaceLineEndings("\n") + "\n");

    /// <summary>What the signature covers: the manifest as written without its signature.</summary>
    public static byte[] SignedBytes(EvidenceManifest manifest) => ToBytes(manifest with { Signature = null });

    public static EvidenceManifest? Parse(byte[] bytes) =>
        JsonSerializer.Deserialize<EvidenceManifest>(bytes, Options);
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(EvidenceManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
