using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.History;

namespace Compliance.Reporting.Store;

/// <summary>
/// How both stores take a finding apart — rule metadata, resource, outcome, detail — and put it back
/// together, so that what a store returns is the finding that was saved, field for field.
/// </summary>
public static class FindingCodec
{
    /// <summary>Whether a finding is only its ids and outcome: a pass whose reason is its rule's, with no message, evidence or suppression.</summary>
    public static bool IsCompactPass(Finding finding) =>
        finding.Outcome == Outcome.Pass && finding.Evidence.Count == 0 && finding.Message is null && finding.SuppressionJustification is null && finding.SuppressionExpiresOn is null
        && finding.SuppressionId is null && finding.SuppressionBroad is null;

    /// <summary>The detail to keep beside the rule metadata, or null when the finding says nothing more.</summary>
    public static FindingDetail? DetailOf(Finding finding, RuleMeta rule)
    {
        var reason = string.Equals(finding.Reason, rule.PassReason, StringComparison.Ordinal) ? null : finding.Reason;
        if (reason is null && finding.Message is null && finding.Evidence.Count == 0 && finding.SuppressionJustification is null && finding.SuppressionExpiresOn is null && finding.SuppressionId is null && finding.SuppressionBroad is null)
        {
            return null;
        }

        return new FindingDetail
        {
            Reason = reason,
            Message = finding.Message,
            Evidence = finding.Evidence.Count == 0 ? null : finding.Evidence,
            SuppressionJustification = finding.SuppressionJustification,
            SuppressionExpiresOn = finding.SuppressionExpiresOn,
            SuppressionId = finding.SuppressionId,
            SuppressionBroad = finding.SuppressionBroad,
        };
    }

    public static string? DetailJson(Finding finding, RuleMeta rule) =>
        DetailOf(finding, rule) is { } detail ? StoreJson.Serialize(detail) : null;

    /// <summary>
    /// Writes the detail as <see cref="DetailJson"/> does, byte for byte, to a writer made with
    /// <see cref="StoreJson.WriterOptions"/> (UTF-8 for the store as it is, no string made); false when there is none.
    /// </summary>
    public static bool WriteDetail(Utf8JsonWriter writer, Finding finding, RuleMeta rule)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (DetailOf(finding, rule) is not { } detail)
        {
            return false;
        }

        JsonSerializer.Serialize(writer, detail, StoreJsonContext.Default.FindingDetail);
        return true;
    }

    public static Finding Rebuild(string findingId, RuleMeta rule, ResourceMeta resource, Outcome outcome, string? detailJson) =>
        Rebuild(findingId, rule, resource, outcome, string.IsNullOrEmpty(detailJson) ? null : FindingDetailReader.Shared.Read(detailJson));

    /// <summary>The finding, from its parts and its detail as read (<see cref="FindingDetailReader"/>).</summary>
    public static Finding Rebuild(string findingId, RuleMeta rule, ResourceMeta resource, Outcome outcome, FindingDetail? detail) =>
        new Finding
        {
            FindingId = findingId,
            RuleId = rule.RuleId,
            RuleTitle = rule.RuleTitle,
            PackId = rule.PackId,
            PackVersion = rule.PackVersion,
            ResourceId = resource.ResourceId,
            ResourceName = resource.ResourceName,
            ResourceType = resource.ResourceType,
            Location = resource.Location,
            SubscriptionId = resource.SubscriptionId is { } subscription ? (subscription.Length == 0 ? null : subscription) : resource.Subscription,
            Tags = resource.Tags,
            Outcome = outcome,
            Severity = rule.Severity,
            Category = rule.Category,
            Reason = detail?.Reason ?? rule.PassReason ?? string.Empty,
            Message = detail?.Message,
            Evidence = detail?.Evidence ?? [],
            Controls = rule.Controls,
            Remediation = rule.Remediation,
            SuppressionJustification = detail?.SuppressionJustification,
            SuppressionExpiresOn = detail?.SuppressionExpiresOn,
            SuppressionId = detail?.SuppressionId,
            SuppressionBroad = detail?.SuppressionBroad,
        };

    /// <summary>The light form the history needs; <paramref name="orderKey"/> is the store's.</summary>
    public static FindingKey Key(string findingId, RuleMeta rule, ResourceMeta resource, Outcome outcome, HistoryStatus? status, bool carried, string tenantId, string orderKey) => new(
        findingId,
        rule.RuleId,
        rule.PackId,
        resource.ResourceId,
        FindingScopes.ScopeOf(rule.RuleId, resource.ResourceId, resource.ResourceType, resource.Subscription, tenantId),
        outcome,
        rule.Severity,
        status,
        carried,
        orderKey);

    /// <summary>Finding ids are 32 hex digits (<see cref="Core.Findings.FindingId"/>); stores may keep them as 16 bytes.</summary>
    public static byte[] IdBytes(string findingId) =>
        findingId.Length == 32 ? Convert.FromHexString(findingId) : throw new ReportStoreException($"'{findingId}' is not a finding id (32 hex digits)");

    /// <summary>The 16 bytes of a finding id, into <paramref name="bytes"/> (no array made).</summary>
    public static ReadOnlySpan<byte> IdBytes(string findingId, Span<byte> bytes) =>
        findingId.Length == 32 && Convert.FromHexString(findingId, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 16
            ? bytes[..16]
            : throw new ReportStoreException($"'{findingId}' is not a finding id (32 hex digits)");

    public static string IdText(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
