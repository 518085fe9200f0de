namespace Compliance.Reporting.Runs;

/// <summary>A run that cannot be shown as asked: none yet, no such id, a bad id, not finalised. The message says what to do.</summary>
public sealed class RunLookupException : Exception
{
    public RunLookupException(RunLookupProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    public RunLookupException()
    {
    }

    public RunLookupException(string message)
        : base(message)
    {
    }

    public RunLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunLookupProblem Problem { get; }
}

/// <summary>Why a run lookup failed.</summary>
public enum RunLookupProblem
{
    /// <summary>The store holds no finalised run yet ("latest").</summary>
    NoRunYet,

    /// <summary>No run has that id.</summary>
    NotFound,

    /// <summary>The id cannot be a run id.</summary>
    BadId,

    /// <summary>The run is still running, finalising, or was abandoned: its history is not known.</summary>
    NotFinalized,
}
