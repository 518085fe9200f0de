namespace Compliance.Policy.Conversion;

/// <summary>
/// Resource types that ARM attaches to another resource (extension resources, id
/// <c>{resource id}/providers/{namespace}/{type}/{name}</c>). An auditIfNotExists whose details.type is
/// one of them looks for it on the evaluated resource itself ("a resource type underneath the if
/// condition resource", Learn: policy effect auditIfNotExists), whatever existenceScope says. Each is
/// documented as "an extension resource, which means you can apply it to another resource" in the ARM
/// template reference, https://learn.microsoft.com/azure/templates/{namespace}/{type}.
/// </summary>
internal static class ExtensionTypes
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Insights/diagnosticSettings",
        "Microsoft.Insights/dataCollectionRuleAssociations",
        "Microsoft.GuestConfiguration/guestConfigurationAssignments",
        "Microsoft.Security/assessments",
        "Microsoft.Security/advancedThreatProtectionSettings",
        "Microsoft.Security/defenderForStorageSettings",
        "Microsoft.Security/pricings",
        "Microsoft.Security/securityContacts",
        "Microsoft.Automanage/configurationProfileAssignments",
        "Microsoft.KubernetesConfiguration/extensions",
        "Microsoft.KubernetesConfiguration/fluxConfigurations",
        "Microsoft.KubernetesConfiguration/sourceControlConfigurations",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/locks",
        "Microsoft.Authorization/policyAssignments",
        "Microsoft.Maintenance/configurationAssignments",
    };

    public static bool IsExtension(string type) => Known.Contains(type);
}
