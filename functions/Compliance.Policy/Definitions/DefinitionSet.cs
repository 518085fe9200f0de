using Compliance.Core.Rules;

namespace Compliance.Policy.Definitions;

/// <summary>What the inputs held: definitions, initiatives, and the notes about what was left out.</summary>
public sealed class DefinitionSet
{
    public List<PolicyDefinition> Definitions { get; } = [];

    public List<PolicySetDefinition> Initiatives { get; } = [];

    /// <summary>Files that were passed over, and why (a second copy of a definition, a folder's non-definition JSON).</summary>
    public List<RuleDiagnostic> Notes { get; } = [];
}
