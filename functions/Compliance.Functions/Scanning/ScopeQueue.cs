namespace Compliance.Functions.Scanning;

/// <summary>The Storage queue the scheduled scan fans out over (on the AzureWebJobsStorage connection).</summary>
public static class ScopeQueue
{
    public const string Name = "compliance-scopes";

    /// <summary>Where the Functions host moves a message that failed maxDequeueCount times (host.json).</summary>
    public const string PoisonName = Name + "-poison";
}
