namespace Compliance.Reporting.Evidence;

/// <summary>Evidence that cannot be written or checked as asked (bad key, folder not empty…): the message says why.</summary>
public sealed class EvidenceException : Exception
{
    public EvidenceException(string message)
        : base(message)
    {
    }

    public EvidenceException()
    {
    }

    public EvidenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
