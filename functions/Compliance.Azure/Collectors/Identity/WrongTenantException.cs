using Azure.Identity;

namespace Compliance.Azure.Collectors.Identity;

/// <summary>The identity signed in, but to another tenant than the one to scan; the message says what to configure.</summary>
public sealed class WrongTenantException : AuthenticationFailedException
{
    public WrongTenantException(string message)
        : base(message)
    {
    }

    public WrongTenantException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WrongTenantException()
        : base("the scanner's identity signed in to another tenant than the one to scan")
    {
    }
}
