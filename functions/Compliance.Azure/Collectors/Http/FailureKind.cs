namespace Compliance.Azure.Collectors.Http;

/// <summary>Why a call to a service failed for good (after retries).</summary>
internal enum FailureKind
{
    /// <summary>The service answered with an error status.</summary>
    Status,

    /// <summary>No answer within the network timeout.</summary>
    Timeout,

    /// <summary>The connection failed (DNS, TLS, reset).</summary>
    Network,

    /// <summary>An answer that cannot be read: not JSON, not the documented shape, a truncated result.</summary>
    InvalidResponse,
}
