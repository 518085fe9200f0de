namespace Compliance.Reporting.Suppressions;

/// <summary>Rules for suppressions (section "Suppressions").</summary>
public sealed class SuppressionOptions
{
    public const string Section = "Suppressions";

    /// <summary>The furthest a suppression's expiry may lie from now: exceptions are reviewed at least this often.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(365);
}
