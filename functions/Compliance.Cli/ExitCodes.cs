namespace Compliance.Cli;

/// <summary>The exit codes of the contract.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Findings at or above --fail-on (or failing rule tests).</summary>
    public const int Findings = 1;

    /// <summary>Bad usage or bad input; the message names the culprit.</summary>
    public const int BadInput = 2;

    /// <summary>The command could not complete for another reason (an internal error).</summary>
    public const int InternalError = 3;

    public const int Cancelled = 130;
}
