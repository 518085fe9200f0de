using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Definitions;

/// <summary>An initiative (policy set definition): member definitions with parameter values and control groups.</summary>
public sealed class PolicySetDefinition
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public string? Description { get; init; }

    public string? Version { get; init; }

    public JObject? Parameters { get; init; }

    public required IReadOnlyList<PolicyReference> References { get; init; }

    public required string File { get; init; }

    public required JToken Token { get; init; }
}

/// <summary>One member of an initiative.</summary>
/// <param name="DefinitionId">policyDefinitionId: the member definition.</param>
/// <param name="ReferenceId">policyDefinitionReferenceId: unique within the initiative.</param>
/// <param name="Parameters">name → { "value": … } (values may be expressions over the initiative's parameters), or null.</param>
/// <param name="GroupNames">The control groups the member belongs to (NIST_SP_800-53_R5_AC-2).</param>
/// <param name="Token">Where the reference is written.</param>
public sealed record PolicyReference(string DefinitionId, string ReferenceId, JObject? Parameters, IReadOnlyList<string> GroupNames, JToken Token);
