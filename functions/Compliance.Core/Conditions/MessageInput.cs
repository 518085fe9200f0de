using System.Text.Json;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Conditions;

/// <summary>What a message template is rendered from: the resource, the facts of its evidence, and the snapshot's names.</summary>
internal sealed record MessageInput(
    JsonElement Resource,
    string ResourceId,
    string ResourceName,
    string? SubscriptionId,
    MessageFacts Facts,
    string? Observed,
    string? Expected,
    SnapshotNames Names)
{
    /// <summary>A subscription's or tenant's display name from the snapshot's scopes.</summary>
    public string? ScopeName(string scopeId) => Names.ScopeName(scopeId);

    /// <summary>The display name of the object an id refers to (its last segment for a resource id), else the id.</summary>
    public string NameOf(string id) => Names.NameOf(id);

    /// <summary>An ARM scope in words: "subscription Northwind Production", "resource group rg-web", "management group Corp".</summary>
    public string DescribeScope(string scope) => Names.DescribeScope(scope);
}
