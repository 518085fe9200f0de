using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Functions.Scanning;

/// <summary>
/// One queue message: scan one scope of a run — a subscription ("/subscriptions/{id}") or the Entra
/// ID directory ("/tenants/{tenantId}").
/// </summary>
public sealed record ScopeMessage(string RunId, string TenantId, string ScopeId, string? DisplayName = null)
{
    public bool IsEntra => Core.Snapshots.ResourceIds.IsTenantScope(ScopeId);

    public string ToJson() => JsonSerializer.Serialize(this, ScopeMessageJson.Default.ScopeMessage);

    /// <summary>The message, or null when the text is not one (it is then logged and dropped: retrying it cannot help).</summary>
    public static ScopeMessage? TryParse(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize(text, ScopeMessageJson.Default.ScopeMessage);
            return message is { RunId.Length: > 0, TenantId.Length: > 0, ScopeId.Length: > 0 } ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScopeMessage))]
internal sealed partial class ScopeMessageJson : JsonSerializerContext;
