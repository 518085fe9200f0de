namespace Compliance.Core.Evaluation;

/// <summary>A related type a rule counts, and whether it counts it under the evaluated resource (children and extension resources).</summary>
/// <param name="Type">The related resource type, as the rule names it.</param>
/// <param name="Children">Whether the count is of resources under the evaluated one (scope children).</param>
public sealed record RelatedUse(string Type, bool Children);
