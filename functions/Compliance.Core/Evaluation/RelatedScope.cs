namespace Compliance.Core.Evaluation;

/// <summary>Which resources a <c>related</c> condition counts.</summary>
internal enum RelatedScope
{
    /// <summary>Resources whose id lies below the evaluated resource's id (SQL firewall rules of a server).</summary>
    Children,

    /// <summary>Resources of the same resource group (for a resource group itself: the resources in it).</summary>
    ResourceGroup,

    /// <summary>Resources of the same subscription.</summary>
    Subscription,

    /// <summary>Every resource of that type in the snapshot.</summary>
    Tenant,
}
