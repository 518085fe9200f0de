using System.IO.Hashing;
using System.Text;

namespace Compliance.Core.Findings;

/// <summary>Stable finding identity: the same rule on the same resource always gets the same id.</summary>
public static class FindingId
{
    /// <summary>
    /// A 128-bit XXH3 hash of the rule id and the resource id, as 32 hex digits. Azure resource ids are
    /// case-insensitive (Resource Graph lower-cases some segments), so both are normalised first. The
    /// id identifies, it does not protect: evidence integrity comes from the signed manifest.
    /// </summary>
    public static string Compute(string ruleId, string resourceId) =>
        ComputeNormalized(ruleId.ToUpperInvariant(), resourceId.ToLowerInvariant());


    /// <summary>For callers that normalised once: the rule id in upper case, the resource id in lower case.</summary>
    internal static string ComputeNormalized(string ruleIdUpper, string resourceIdLower) =>
        ComputeNormalized(Encoding.UTF8.GetBytes(ruleIdUpper), Encoding.UTF8.GetBytes(resourceIdLower));

    /// <summary>The same hash over keys already encoded as UTF-8 (the engine encodes each once).</summary>
    internal static string ComputeNormalized(ReadOnlySpan<byte> ruleKey, ReadOnlySpan<byte> resourceKey)
    {
        var hasher = _hasher ??= new XxHash128();
        hasher.Reset();
        hasher.Append(ruleKey);
        hasher.Append("\n"u8);
        hasher.Append(resourceKey);
        Span<byte> hash = stackalloc byte[16];
        hasher.GetCurrentHash(hash);
        return Convert.ToHexStringLower(hash);
    }

    [ThreadStatic]
    private static XxHash128? _hasher;
}
