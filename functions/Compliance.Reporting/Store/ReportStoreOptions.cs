using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Store;

/// <summary>How long runs are kept, how long a finalisation claim holds, when an open run is abandoned, and the mass-change guard (section "Store").</summary>
public sealed class ReportStoreOptions
{
    public const string Section = "Store";

    /// <summary>Runs started longer ago than this are pruned (each tenant's latest finalised run is kept).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>A finalisation claimed longer ago than this, and never finished, may be claimed again.</summary>
    public TimeSpan FinalizationLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A run still running or finalising this long after it started (its process was killed) is marked abandoned by the next run of its tenant.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// The mass-change guard: a run that would resolve more than half of the previous run's problems
    /// at once, and at least this many, is suspect. A tenant with a handful of problems fixing most of
    /// them is not a mass change.
    /// </summary>
    public int MassChangeMinimum { get; set; } = 10;
}

/// <summary>Checks <see cref="ReportStoreOptions"/> once, at start-up, naming the setting.</summary>
public sealed class ReportStoreOptionsValidator : IValidateOptions<ReportStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Retention <= TimeSpan.Zero)
        {
            failures.Add("Store:Retention must be positive");
        }

        if (options.FinalizationLease <= TimeSpan.Zero)
        {
            failures.Add("Store:FinalizationLease must be positive");
        }

        if (options.AbandonAfter <= options.FinalizationLease)
        {
            failures.Add("Store:AbandonAfter must be longer than Store:FinalizationLease");
        }

        if (options.MassChangeMinimum < 1)
        {
            failures.Add("Store:MassChangeMinimum must be at least 1");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
