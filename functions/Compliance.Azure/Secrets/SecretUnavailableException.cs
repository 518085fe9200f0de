namespace Compliance.Azure.Secrets;

/// <summary>A secret that cannot be read: the message names where it was looked for, the secret and what to do — never a value.</summary>
public sealed class SecretUnavailableException : Exception
{
    public SecretUnavailableException(string message)
        : base(message)
    {
    }

    public SecretUnavailableException()
    {
    }

    public SecretUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
