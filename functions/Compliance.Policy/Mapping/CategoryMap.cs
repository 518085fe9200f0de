using Compliance.Core.Findings;

namespace Compliance.Policy.Mapping;

/// <summary>
/// The category of an imported rule. Azure Policy's metadata.category names the service (Storage,
/// SQL, Network…), which says little about the control, so the definition's display name decides
/// first (words that name the topic: TLS and encryption, firewall and network access, updates,
/// access and identity, logs, backup), then the service, then <c>general</c>. One ordered table.
/// </summary>
public static class CategoryMap
{
    private static readonly (string[] Words, RuleCategory Category)[] ByTitle =
    [
        (["diagnostic", "log analytics", "logs", "logging", "auditing", "audit log", "monitor", "alert", "flow log", "activity log"], RuleCategory.Monitoring),
        (["encrypt", "tls", "ssl", "https", "customer-managed key", "customer managed key", "cmk", "double encryption", "secure transfer", "certificate", "key vault keys", "purge protection", "soft delete", "secrets should have", "keys should have"], RuleCategory.Encryption),
        (["firewall", "public network access", "network access", "private endpoint", "private link", "virtual network", "network security group", "nsg", "ip ", "public ip", "internet", "inbound", "port", "ddos", "subnet", "vnet", "waf", "web application firewall"], RuleCategory.Firewall),
        (["update", "patch", "vulnerabilit", "latest version", "version of", "upgrade", "endpoint protection", "antimalware", "defender for", "supported version", "end of life"], RuleCategory.Patching),
        (["authentication", "mfa", "multi-factor", "owner", "role", "rbac", "admin", "identity", "local account", "local users", "access", "permission", "guest", "managed identit", "azure ad", "microsoft entra", "password", "ssh key", "shared key", "key-based"], RuleCategory.Access),
        (["backup", "geo-redundant", "redundan", "zone", "disaster recovery", "replica", "restore", "retention", "recovery"], RuleCategory.Resilience),
    ];

    private static readonly Dictionary<string, RuleCategory> ByService = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Network"] = RuleCategory.Firewall,
        ["Monitoring"] = RuleCategory.Monitoring,
        ["Key Vault"] = RuleCategory.Encryption,
        ["Backup"] = RuleCategory.Resilience,
        ["Site Recovery"] = RuleCategory.Resilience,
        ["Azure Update Manager"] = RuleCategory.Patching,
        ["Automatic Update"] = RuleCategory.Patching,
        ["Identity"] = RuleCategory.Access,
        ["Azure Active Directory"] = RuleCategory.Access,
        ["Managed Identity"] = RuleCategory.Access,
    };

    public static RuleCategory For(string displayName, string? service)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        var title = displayName.ToLowerInvariant();
        foreach (var (words, category) in ByTitle)
        {
            if (words.Any(title.Contains))
            {
                return category;
            }
        }

        return service is not null && ByService.TryGetValue(service, out var byService) ? byService : RuleCategory.General;
    }
}
