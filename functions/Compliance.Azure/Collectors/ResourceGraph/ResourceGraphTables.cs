namespace Compliance.Azure.Collectors.ResourceGraph;

/// <summary>Which Resource Graph table holds a resource type.</summary>
internal static class ResourceGraphTables
{
    public const string Resources = "resources";
    public const string ResourceContainers = "resourcecontainers";
    public const string AuthorizationResources = "authorizationresources";
    public const string PatchAssessmentResources = "patchassessmentresources";
    public const string PatchInstallationResources = "patchinstallationresources";
    public const string SecurityResources = "securityresources";
    public const string AdvisorResources = "advisorresources";
    public const string PolicyResources = "policyresources";
    public const string GuestConfigurationResources = "guestconfigurationresources";

    public const string SubscriptionType = "microsoft.resources/subscriptions";

    public static string TableOf(string type)
    {
        var t = type.ToLowerInvariant();
        return t switch
        {
            SubscriptionType or "microsoft.resources/subscriptions/resourcegroups" or "microsoft.management/managementgroups" => ResourceContainers,
            _ when t.StartsWith("microsoft.authorization/role", StringComparison.Ordinal) ||
                   t == "microsoft.authorization/classicadministrators" => AuthorizationResources,
            _ when t.EndsWith("/patchassessmentresults", StringComparison.Ordinal) ||
                   t.EndsWith("/patchassessmentresults/softwarepatches", StringComparison.Ordinal) => PatchAssessmentResources,
            _ when t.EndsWith("/patchinstallationresults", StringComparison.Ordinal) ||
                   t.EndsWith("/patchinstallationresults/softwarepatches", StringComparison.Ordinal) => PatchInstallationResources,
            _ when t.StartsWith("microsoft.security/", StringComparison.Ordinal) => SecurityResources,
            _ when t.StartsWith("microsoft.advisor/", StringComparison.Ordinal) => AdvisorResources,
            _ when t.StartsWith("microsoft.policyinsights/", StringComparison.Ordinal) => PolicyResources,
            _ when t.StartsWith("microsoft.guestconfiguration/", StringComparison.Ordinal) => GuestConfigurationResources,
            _ => Resources,
        };
    }
}
