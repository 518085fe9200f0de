namespace Compliance.Azure.Collectors;

/// <summary>How the Azure Resource Manager collector reads what Resource Graph does not index.</summary>
public sealed class ArmOptions
{
    public const string SectionName = "Collectors:Arm";

    /// <summary>Child-resource requests in flight at once.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>The api-version of the subscription list.</summary>
    public string SubscriptionsApiVersion { get; set; } = "2022-12-01";
}
