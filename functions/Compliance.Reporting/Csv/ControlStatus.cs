namespace Compliance.Reporting.Csv;

/// <summary>
/// A control's status on one resource, from the findings of the rules mapped to it: any fail makes it
/// fail; else any error leaves it not assessed (error); else any suppressed finding makes it an
/// accepted exception (suppressed); else pass. Its wire names are the outcomes' ("pass", "fail"…).
/// </summary>
public enum ControlStatus
{
    Pass,
    Suppressed,
    Error,
    Fail,
}
