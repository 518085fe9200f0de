using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;

namespace Compliance.Cli.Output;

/// <summary>Where a scan was stored, what it was compared with, and the suppressions that expired.</summary>
internal sealed record ScanHistory(RunRecord Run, RunRecord? Previous, string StorePath, SuppressionSet Suppressions);
