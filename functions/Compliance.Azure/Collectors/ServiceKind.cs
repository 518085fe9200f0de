namespace Compliance.Azure.Collectors;

/// <summary>The services the collectors call.</summary>
internal enum ServiceKind
{
    ResourceGraph,
    ResourceManager,
    MicrosoftGraph,
}
