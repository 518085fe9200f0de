using System.Security.Cryptography;
using System.Text;

namespace Compliance.Core.Findings;

/// <summary>Stable finding identity: the same rule on the same resource always gets the same id.</summary>
public static class FindingId
{
    /// <summary>
    /// Hash of the rule id and the resource id. Azure resource ids are case-insensitive (Resource Graph
    /// lower-cases some segments), so the resource id is normalised to lower case first.
    /// </summary>
    public static string Compute(string ruleId, string resourceId)
    {
        var text = ruleId.ToUpperInvariant() + "\n" + resourceId.ToLowerInvariant();
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        // 128 bits are plenty to avoid collisions between findings and keep the id short in CSVs.
        return Convert.ToHexStringLower(hash[..16]);
    }
}
