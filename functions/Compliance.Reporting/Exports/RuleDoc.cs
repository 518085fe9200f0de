namespace Compliance.Reporting.Exports;

/// <summary>
/// What a stored run does not keep of a rule but an export shows: its description and links, read
/// from the rule packs the run used (matched by pack id, version and content hash).
/// </summary>
public sealed record RuleDoc(string? Description, IReadOnlyList<string> Links);
