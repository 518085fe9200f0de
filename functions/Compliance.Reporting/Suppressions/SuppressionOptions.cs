namespace Compliance.Reporting.Suppressions;

/// <summary>Rules for suppressions (section "Suppressions").</summary>
public sealed class SuppressionOptions
{
    public const string Section = "Suppressions";

    /// <summary>The furthest a suppression's expiry may lie from now: exceptions are reviewed at least this often.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>Checks <see cref="SuppressionOptions"/> at start-up, naming the setting.</summary>
public sealed class SuppressionOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SuppressionOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SuppressionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.MaxLifetime > TimeSpan.Zero
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Suppressions:MaxLifetime must be positive");
    }
}
