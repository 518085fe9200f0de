namespace Compliance.Reporting.Store;

/// <summary>A store operation that cannot be done as asked (unknown run, finalised run, bad id): the message says why.</summary>
public sealed class ReportStoreException : Exception
{
    public ReportStoreException(string message)
        : base(message)
    {
    }

    public ReportStoreException()
    {
    }

    public ReportStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
