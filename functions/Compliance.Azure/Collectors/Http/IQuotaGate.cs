namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// Paces Resource Graph queries by the caller's per-user quota. One process alone (the CLI) keeps the
/// gate in memory (<see cref="QuotaGate"/>); a Function App scaled out over many instances, all signing
/// in as one identity and so spending one quota, shares it in Table storage (<see cref="SharedQuotaGate"/>).
/// </summary>
internal interface IQuotaGate
{
    /// <summary>Waits until a query may be sent; returns the time waited.</summary>
    Task<TimeSpan> WaitAsync(CancellationToken cancellationToken);

    /// <summary>Takes in the quota headers of a response (x-ms-user-quota-remaining, x-ms-user-quota-resets-after).</summary>
    Task ObserveAsync(Func<string, string?> header, CancellationToken cancellationToken);
}
