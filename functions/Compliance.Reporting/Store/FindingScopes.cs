using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;

namespace Compliance.Reporting.Store;

/// <summary>Which scope of a run a finding belongs to: the scope whose collection produced it.</summary>
public static class FindingScopes
{
    /// <summary>The root of a tenant's ARM resources outside any subscription (management groups…).</summary>
    public const string TenantRoot = "/";

    /// <summary>
    /// A scope-collection error: the scope itself; an ARM resource: its subscription; a Microsoft
    /// Graph object: the tenant's Entra ID scope; anything else: <see cref="TenantRoot"/>.
    /// </summary>
    public static string ScopeOf(Finding finding, string tenantId) =>
        ScopeOf(finding.RuleId, finding.ResourceId, finding.ResourceType, finding.SubscriptionId, tenantId);

    public static string ScopeOf(string ruleId, string resourceId, string resourceType, string? subscriptionId, string tenantId)
    {
        if (ruleId == ScanEngine.CollectionRuleId)
        {
            return resourceId;
        }

        if (subscriptionId is { Length: > 0 } subscription)
        {
            return ResourceIds.SubscriptionScopeId(subscription);
        }

        return ResourceIds.IsGraphType(resourceType) ? ResourceIds.EntraScopeId(tenantId) : TenantRoot;
    }
}
