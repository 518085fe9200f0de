namespace Compliance.Azure.Collectors;

/// <summary>What the Microsoft Graph collector reads.</summary>
public sealed class GraphOptions
{
    public const string SectionName = "Collectors:Graph";

    /// <summary>Objects per page ($top) where the API accepts it.</summary>
    public int PageSize { get; set; } = 999;

    /// <summary>
    /// The $filter of the users read (with their sign-in activity). Default: guests only — the
    /// accounts whose review the rules care about; empty reads every user.
    /// </summary>
    public string? UserFilter { get; set; } = "userType eq 'Guest'";
}
