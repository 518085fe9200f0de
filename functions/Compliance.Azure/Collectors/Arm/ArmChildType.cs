namespace Compliance.Azure.Collectors.Arm;

/// <summary>
/// A child resource type that Resource Graph does not index, read from ARM under each parent:
/// GET {parentId}/{Segment}?api-version={ApiVersion}.
/// </summary>
internal sealed record ArmChildType(string Type, string ParentType, string Segment, string ApiVersion)
{
    /// <summary>The child types the collectors know how to read, one request (list) per parent.</summary>
    public static readonly IReadOnlyList<ArmChildType> Known =
    [
        new("Microsoft.Sql/servers/firewallRules", "Microsoft.Sql/servers", "firewallRules", "2021-11-01"),
        new("Microsoft.Sql/servers/databases/transparentDataEncryption", "Microsoft.Sql/servers/databases", "transparentDataEncryption", "2021-11-01"),
        new("Microsoft.Sql/servers/auditingSettings", "Microsoft.Sql/servers", "auditingSettings", "2021-11-01"),
        new("Microsoft.Sql/servers/securityAlertPolicies", "Microsoft.Sql/servers", "securityAlertPolicies", "2021-11-01"),
        new("Microsoft.DBforPostgreSQL/flexibleServers/firewallRules", "Microsoft.DBforPostgreSQL/flexibleServers", "firewallRules", "2022-12-01"),
        new("Microsoft.DBforMySQL/flexibleServers/firewallRules", "Microsoft.DBforMySQL/flexibleServers", "firewallRules", "2023-06-30"),
        new("Microsoft.DBforPostgreSQL/flexibleServers/configurations", "Microsoft.DBforPostgreSQL/flexibleServers", "configurations", "2022-12-01"),
        new("Microsoft.DBforMySQL/flexibleServers/configurations", "Microsoft.DBforMySQL/flexibleServers", "configurations", "2023-06-30"),
        new("Microsoft.Web/sites/config", "Microsoft.Web/sites", "config", "2023-12-01"),

        // GET {server}/administrators (Microsoft.Sql 2021-11-01, "Server Azure AD Administrators - List By Server").
        new("Microsoft.Sql/servers/administrators", "Microsoft.Sql/servers", "administrators", "2021-11-01"),
    ];

    /// <summary>
    /// Extension resources listed under each resource of the types that need them:
    /// GET {resourceId}/providers/Microsoft.Insights/diagnosticSettings?api-version=2021-05-01-preview
    /// ("Diagnostic Settings - List", Microsoft.Insights 2021-05-01-preview).
    /// </summary>
    public static readonly IReadOnlyList<(string Type, string Segment, string ApiVersion)> Extensions =
    [
        ("Microsoft.Insights/diagnosticSettings", "providers/Microsoft.Insights/diagnosticSettings", "2021-05-01-preview"),
    ];

    /// <summary>The list of an extension type under resources of <paramref name="parentType"/>, or null when it is not an extension the collectors list.</summary>
    public static ArmChildType? Extension(string type, string parentType) =>
        Extensions.Where(e => e.Type.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(e => new ArmChildType(e.Type, parentType, e.Segment, e.ApiVersion))
            .FirstOrDefault();

    public static bool IsExtension(string type) => Extensions.Any(e => e.Type.Equals(type, StringComparison.OrdinalIgnoreCase));

    public static ArmChildType? Find(string type) =>
        Known.FirstOrDefault(k => string.Equals(k.Type, type, StringComparison.OrdinalIgnoreCase));

    public string PathFor(string parentId) => $"{parentId.TrimEnd('/')}/{Segment}?api-version={ApiVersion}";
}
