using Compliance.Core.Findings;

namespace Compliance.Reporting.Report;

/// <summary>
/// The sentence a person reads for a finding, in the HTML report and the SARIF and OCSF exports alike:
/// the rule's plain-words message when it has one, else the engine's reason.
/// </summary>
public static class FindingText
{
    public static string Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Message ?? finding.Reason;
    }
}
