using Compliance.Core.Findings;

namespace Compliance.Reporting.Report;

/// <summary>
/// The sentence a person reads for a finding, in the HTML report and the SARIF and OCSF exports alike:
/// the rule's plain-words message when it has one, else the engine's reason.
/// </summary>
public static class FindingText
{
    // Finding.Message (the rule's rendered template) arrives with issue 12's first half; until it is
    // merged every finding shows its reason. The switch is this one line: finding.Message ?? finding.Reason.
    public static string Of(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Reason;
    }
}
