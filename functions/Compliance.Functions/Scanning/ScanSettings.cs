namespace Compliance.Functions.Scanning;

/// <summary>What the scheduled scan reads and with which rules (section "Scan"). The schedule itself is the "ScanSchedule" app setting (NCRONTAB).</summary>
public sealed class ScanSettings
{
    public const string Section = "Scan";

    /// <summary>Subscription ids to scan; empty: every subscription the app's identity can see, listed at each run.</summary>
    public List<string> Subscriptions { get; set; } = [];

    /// <summary>Whether each run scans the Entra ID directory too.</summary>
    public bool IncludeEntra { get; set; } = true;

    /// <summary>Rule pack files or folders; relative paths are under the app's folder. Default: the built-in packs.</summary>
    public List<string> Rules { get; set; } = ["rules"];

    /// <summary>Pack parameter overrides: "name" or "packId.name" → value as on the command line ("5", "[1433,3306]").</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A suppressions file deployed with the app (relative to its folder), in addition to the suppressions kept in the store. Empty: none.</summary>
    public string? SuppressionsFile { get; set; }

    /// <summary>A run whose scopes have not all reported this long after it started is finalised as incomplete.</summary>
    public TimeSpan StuckRunTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a subscription's scan waits for the run's directory read (the directory scope's scan
    /// shares it, <see cref="DirectoryShare"/>) once its own resources are read. After that the scope is
    /// scanned without it: the directory counts as unread there, so what depends on it is an error, never
    /// compliant. Keep it well under host.json's functionTimeout.
    /// </summary>
    public TimeSpan DirectoryWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a waiting subscription scan looks for the shared directory.</summary>
    public TimeSpan DirectoryPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Findings saved per store write.</summary>
    public int SaveBatchSize { get; set; } = 500;

    /// <summary>
    /// Acknowledges a mass change (the counterpart of the CLI's --accept-changes): runs started before
    /// this time are finalised as usual where the guard would call them suspect, and say so. Set it
    /// after checking a suspect run's reason (a subscription really was emptied); it expires by itself.
    /// </summary>
    public DateTimeOffset? AcceptChangesUntil { get; set; }

    /// <summary>How a run of the app is finalised.</summary>
    public Reporting.History.FinalizeOptions FinalizeFor(Reporting.Store.RunRecord run) =>
        new() { AcceptChanges = AcceptChangesUntil is { } until && run.StartedAt < until };

    /// <summary>A path of the settings made absolute: relative paths are under the app's folder.</summary>
    public static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}
