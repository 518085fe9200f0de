namespace Compliance.Azure.Collectors.Graph;

/// <summary>
/// One Microsoft Graph collection the collector reads, the snapshot type its objects get and the
/// application permission it needs (named in the error when Graph answers 403).
/// </summary>
internal sealed record GraphDataset(string Collection, string Permission)
{
    public static readonly GraphDataset Organization = new("organization", "Organization.Read.All");
    public static readonly GraphDataset Users = new("users", "User.Read.All and AuditLog.Read.All");
    public static readonly GraphDataset UserRegistrationDetails = new("userRegistrationDetails", "AuditLog.Read.All");
    public static readonly GraphDataset ConditionalAccessPolicies = new("conditionalAccessPolicies", "Policy.Read.All");
    public static readonly GraphDataset RoleAssignments = new("roleAssignments", "RoleManagement.Read.Directory");
    public static readonly GraphDataset RoleDefinitions = new("roleDefinitions", "RoleManagement.Read.Directory");
    public static readonly GraphDataset Applications = new("applications", "Application.Read.All");
    public static readonly GraphDataset ServicePrincipals = new("servicePrincipals", "Application.Read.All");

    public static IReadOnlyList<GraphDataset> All { get; } =
        [Organization, Users, UserRegistrationDetails, ConditionalAccessPolicies, RoleAssignments, RoleDefinitions, Applications, ServicePrincipals];

    /// <summary>The snapshot type of its objects: microsoft.graph/&lt;collection&gt;.</summary>
    public string Type => "microsoft.graph/" + Collection;

    public static GraphDataset? ForType(string type) =>
        All.FirstOrDefault(d => string.Equals(d.Type, type, StringComparison.OrdinalIgnoreCase));
}
