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
    public static string ScopeOf(Finding finding, string tenantId)
    {
        if (finding.RuleId == ScanEngine.CollectionRuleId)
        {
            return finding.ResourceId;
        }

        if (finding.SubscriptionId is { } subscription)
        {
            return "/subscriptions/" + subscription;
        }

        return finding.ResourceType.StartsWith(ResourceIds.GraphTypePrefix, StringComparison.OrdinalIgnoreCase)
            ? ResourceIds.EntraScopeId(tenantId)
            : TenantRoot;
    }
}
