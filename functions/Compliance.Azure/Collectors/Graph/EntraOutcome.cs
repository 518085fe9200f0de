namespace Compliance.Azure.Collectors.Graph;

/// <summary>What reading the directory found out: the tenant, and every collection that could not be read.</summary>
internal sealed class EntraOutcome
{
    public string? TenantId { get; set; }

    public string? DisplayName { get; set; }

    public IReadOnlyList<string> Errors { get; set; } = [];
}
