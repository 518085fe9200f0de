using Compliance.Core.Rules;

namespace Compliance.Core.Conditions;

/// <summary>The result of compiling one condition: the tree, or null with the problems that prevent it.</summary>
internal sealed record ConditionCompilation(ConditionNode? Node, IReadOnlyList<RuleDiagnostic> Diagnostics);
