namespace Compliance.Reporting.Exports;

/// <summary>What an export wrote: how many rules and records (SARIF results, OCSF events).</summary>
public sealed record ExportSummary(int Rules, int Records);
