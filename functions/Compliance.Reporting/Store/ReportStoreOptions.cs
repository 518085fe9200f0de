namespace Compliance.Reporting.Store;

/// <summary>How long runs are kept and how long a finalisation claim holds (section "Store").</summary>
public sealed class ReportStoreOptions
{
    public const string Section = "Store";

    /// <summary>Runs started longer ago than this are pruned (each tenant's latest finalised run is kept).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>A finalisation claimed longer ago than this, and never finished, may be claimed again.</summary>
    public TimeSpan FinalizationLease { get; set; } = TimeSpan.FromMinutes(10);
}
