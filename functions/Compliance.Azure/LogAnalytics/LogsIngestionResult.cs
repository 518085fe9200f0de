namespace Compliance.Azure.LogAnalytics;

/// <summary>How an upload went: rows and calls accepted, and when not all, why (never a token or a body).</summary>
public sealed record LogsIngestionResult(int RowsSent, int RowsFailed, int Calls, string Detail)
{
    public bool Succeeded => RowsFailed == 0;
}
