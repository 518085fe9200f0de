using System.CommandLine;
using Compliance.Reporting.Exports;

namespace Compliance.Cli.Commands;

/// <summary><c>compliance export ocsf</c>: a stored run as OCSF Compliance Finding events, one JSON object per line.</summary>
internal static class ExportOcsfCommand
{
    public static Command Create(CliEnvironment env) => ExportFileCommand.Create(
        env,
        "ocsf",
        $"Write a run as OCSF {OcsfExporter.SchemaVersion} Compliance Finding events (class_uid {OcsfExporter.ClassUid}), one JSON object per line, for Microsoft Sentinel, Amazon Security Lake and other OCSF consumers: every finding, compliance.status from its outcome.",
        "findings.ocsf.jsonl",
        "events",
        (store, run, output, docs, cancellationToken) => new OcsfExporter(store).WriteAsync(run, output, CliServices.ToolVersion, docs, cancellationToken));
}
