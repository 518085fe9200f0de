namespace Compliance.Azure.Collectors.Http;

/// <summary>A call that failed after its retries; the collectors turn it into a scope error a person can act on.</summary>
internal sealed class AzureCallException : Exception
{
    public AzureCallException(ServiceKind service, FailureKind kind, int status, string? errorCode, string detail, int attempts, Exception? inner = null)
        : base(Describe(service, kind, status, errorCode, detail, attempts), inner)
    {
        Service = service;
        Kind = kind;
        Status = status;
        ErrorCode = errorCode;
        Detail = detail;
        Attempts = attempts;
    }

    public AzureCallException()
        : this(ServiceKind.ResourceManager, FailureKind.Network, 0, null, "the call failed", 1)
    {
    }

    public AzureCallException(string message)
        : this(ServiceKind.ResourceManager, FailureKind.Network, 0, null, message, 1)
    {
    }

    public AzureCallException(string message, Exception innerException)
        : this(ServiceKind.ResourceManager, FailureKind.Network, 0, null, message, 1, innerException)
    {
    }

    public ServiceKind Service { get; }

    public FailureKind Kind { get; }

    /// <summary>The HTTP status, or 0 when there was no answer.</summary>
    public int Status { get; }

    /// <summary>The service's error code (AuthorizationFailed, Authorization_RequestDenied, …).</summary>
    public string? ErrorCode { get; }

    public string Detail { get; }

    public int Attempts { get; }

    public static string ServiceName(ServiceKind service) => service switch
    {
        ServiceKind.ResourceGraph => "Resource Graph",
        ServiceKind.ResourceManager => "Azure Resource Manager",
        _ => "Microsoft Graph",
    };

    private static string Describe(ServiceKind service, FailureKind kind, int status, string? errorCode, string detail, int attempts)
    {
        var tries = attempts > 1 ? $" after {attempts} attempts" : string.Empty;
        var code = errorCode is null ? string.Empty : errorCode + ": ";
        return kind switch
        {
            FailureKind.Status => $"{ServiceName(service)} answered {status}{tries} ({code}{detail})",
            FailureKind.Timeout => $"{ServiceName(service)} did not answer in time{tries} ({detail})",
            FailureKind.Network => $"{ServiceName(service)} could not be reached{tries} ({detail})",
            _ => $"{ServiceName(service)} returned a response that cannot be read{tries} ({detail})",
        };
    }
}
