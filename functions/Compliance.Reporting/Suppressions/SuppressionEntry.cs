using System.Runtime.CompilerServices;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// One item of a suppressions file as written, before the checks a schema cannot say: what either
/// reader (the full one with line information, or the fast one for valid files) found in it. A
/// property that is absent or not of its type is null here; the schema check reports the type.
/// </summary>
internal sealed record SuppressionEntry
{
    /// <summary>The line of the item's opening brace.</summary>
    public required int Line { get; init; }

    public string? Id { get; init; }

    public string? RuleId { get; init; }

    public string? ResourceId { get; init; }

    public string? ResourcePattern { get; init; }

    public SuppressionTag? Tag { get; init; }

    public string? Justification { get; init; }

    public string? Owner { get; init; }

    public string? ExpiresOn { get; init; }

    /// <summary>
    /// Whether the item has an <c>expiresOn</c> of any type: one of another type (reported by the
    /// schema) still lets the entry take part in the id checks, as it always has.
    /// </summary>
    public bool ExpiresOnGiven { get; init; }

    public bool Broad { get; init; }

    /// <summary>The entry from an item's properties as plain values (string, bool, nested <see cref="JsonFields"/>; anything else is of no type the entry reads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SuppressionEntry From(JsonFields item) => new()
    {
        Line = item.Line,
        Id = item.Text("id"),
        RuleId = item.Text("ruleId"),
        ResourceId = item.Text("resourceId"),
        ResourcePattern = item.Text("resourcePattern"),
        Tag = item["tag"] is JsonFields tag && tag.Text("name") is { } name ? new SuppressionTag(name, tag.Text("value")) : null,
        Justification = item.Text("justification"),
        Owner = item.Text("owner"),
        ExpiresOn = item.Text("expiresOn"),
        ExpiresOnGiven = item.Has("expiresOn"),
        Broad = item["broad"] is true,
    };
}
