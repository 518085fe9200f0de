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
    internal static string ComputeNormalized(string ruleIdUpper, string resourceIdLower)
    {
        var text = string.Concat(ruleIdUpper, "\n", resourceIdLower);
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var bytes = byteCount <= 1024 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(text, bytes);
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}
