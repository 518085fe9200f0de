namespace Compliance.Azure.Collectors;

/// <summary>
/// The collectors cannot start: no usable credential, an unknown cloud, no subscription list. The
/// message says what to configure; it is meant to be shown as it is.
/// </summary>
public sealed class CollectorConfigurationException : Exception
{
    public CollectorConfigurationException(string message)
        : base(message)
    {
    }

    public CollectorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CollectorConfigurationException()
    {
    }
}
