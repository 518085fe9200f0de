namespace Compliance.Reporting.Suppressions;

/// <summary>A tag a resource must carry for a suppression to cover it; any value when <paramref name="Value"/> is null.</summary>
public sealed record SuppressionTag(string Name, string? Value = null);
