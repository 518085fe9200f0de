using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;

namespace Compliance.Cli.Output;

/// <summary>
/// Where a scan was stored (null with --store none), what it was compared with, and the
/// suppressions in force (expired ones, broad ones).
/// </summary>
internal sealed record ScanHistory(RunRecord? Run, RunRecord? Previous, string? StorePath, SuppressionSet Suppressions);
