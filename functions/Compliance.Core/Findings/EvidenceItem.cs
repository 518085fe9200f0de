namespace Compliance.Core.Findings;

/// <summary>
/// One leaf of a condition that decided a finding: where it looked, what it saw, what it wanted.
/// </summary>
/// <param name="Path">The concrete path into the resource, with array indexes ("properties.securityRules[2].properties.access").</param>
/// <param name="Observed">The observed value rendered as JSON (trimmed to a readable length), or "missing".</param>
/// <param name="Expected">What the condition expects, in words ("'TLS1_2'", "one of ['Deny', 'Drop']").</param>
/// <param name="Satisfied">Whether this leaf held (pass evidence) or not (fail evidence).</param>
/// <param name="Message">The sentence a person reads.</param>
public sealed record EvidenceItem(string Path, string Observed, string Expected, bool Satisfied, string Message);
