using System.CommandLine;
using Compliance.Reporting.Exports;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance export sarif</c>: a stored run as SARIF 2.1.0 for code-scanning tools.</summary>
internal static class ExportSarifCommand
{
    public static Command Create(CliEnvironment env) => ExportFileCommand.Create(
        env,
        "sarif",
        "Write a run as SARIF 2.1.0 (GitHub code scanning, Defender for DevOps): one rule per rule, one result per failing, error or suppressed finding, located at its resource id.",
        "compliance.sarif",
        "results",
        (store, run, output, docs, cancellationToken) => new SarifExporter(store).WriteAsync(run, output, CliServices.ToolVersion, docs, cancellationToken));
}
