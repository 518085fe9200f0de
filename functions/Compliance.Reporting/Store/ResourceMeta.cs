using System.IO.Hashing;
using System.Text;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Reporting.Store;

/// <summary>
/// The resource a finding is about, kept once per run however many rules judge it. The name and the
/// subscription are kept only when they are not what the id says.
/// </summary>
public sealed record ResourceMeta(string ResourceId, string? Name, string ResourceType, string? Location, string? SubscriptionId, IReadOnlyDictionary<string, string>? Tags)
{
    public string ResourceName => Name ?? ResourceIds.LastSegment(ResourceId);

    public string? Subscription => SubscriptionId ?? ResourceIds.SubscriptionOf(ResourceId);

    /// <summary>
    /// A 64-bit key of the resource id (XXH64 of its lower-case UTF-8), unique within a run: the
    /// chance that two of a million resources collide is about 3 in 100 million.
    /// </summary>
    public long Key => KeyOf(ResourceId);

    public static long KeyOf(string resourceId)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        if (resourceId.Length > MaxStackChars)
        {
            return unchecked((long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(resourceId.ToLowerInvariant())));
        }

        // The same bytes as above (the invariant lower case, as UTF-8) without the two strings: a key is
        // worked out for each of a run's resources.
        Span<char> lower = stackalloc char[resourceId.Length];
        resourceId.AsSpan().ToLowerInvariant(lower);
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(lower.Length)];
        return unchecked((long)XxHash64.HashToUInt64(utf8[..Encoding.UTF8.GetBytes(lower, utf8)]));
    }

    /// <summary>Resource ids up to this length are keyed on the stack (an ARM id is rarely over 300 characters).</summary>
    private const int MaxStackChars = 512;

    public static ResourceMeta Of(Finding finding) => new(
        finding.ResourceId,
        ResourceIds.LastSegmentEquals(finding.ResourceId, finding.ResourceName) ? null : finding.ResourceName,
        finding.ResourceType,
        finding.Location,
        finding.SubscriptionId == ResourceIds.SubscriptionOf(finding.ResourceId) ? null : finding.SubscriptionId ?? string.Empty,
        finding.Tags);
}
