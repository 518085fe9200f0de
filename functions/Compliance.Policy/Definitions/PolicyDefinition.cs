using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Definitions;

/// <summary>
/// One Azure Policy definition as read from a file or from ARM, in any of its published shapes (the
/// ARM object with <c>properties</c>, the flat object <c>az policy definition show</c> prints, or the
/// built-in repository's <c>azurepolicy.rules.json</c> with its <c>azurepolicy.parameters.json</c>).
/// The JSON tokens keep their file, line and column for messages.
/// </summary>
public sealed class PolicyDefinition
{
    /// <summary>The resource id: /providers/Microsoft.Authorization/policyDefinitions/{name} for a built-in.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string DisplayName { get; init; }

    public string? Description { get; init; }

    /// <summary>All, Indexed, or a data-plane mode (Microsoft.Kubernetes.Data, …); null when the definition does not say.</summary>
    public string? Mode { get; init; }

    /// <summary>BuiltIn, Custom or Static (a Microsoft-managed regulatory placeholder).</summary>
    public string? PolicyType { get; init; }

    public string? Version { get; init; }

    /// <summary>metadata.category: the service ("Storage", "Network", "Monitoring").</summary>
    public string? Category { get; init; }

    public bool Deprecated { get; init; }

    /// <summary>The parameters object (name → { type, defaultValue, allowedValues, metadata }), or null.</summary>
    public JObject? Parameters { get; init; }

    /// <summary>policyRule: { "if": …, "then": … }.</summary>
    public required JObject PolicyRule { get; init; }

    /// <summary>The file (or ARM id) the definition was read from, as shown in messages.</summary>
    public required string File { get; init; }

    /// <summary>The token the definition was read from, for the location of problems that concern it as a whole.</summary>
    public required JToken Token { get; init; }
}
