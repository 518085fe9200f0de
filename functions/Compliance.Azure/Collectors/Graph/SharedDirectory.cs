namespace Compliance.Azure.Collectors.Graph;

/// <summary>
/// The directory as another scan of the same run read it, for a scan that needs some of its objects
/// (a subscription whose role assignments are judged by the guests among the directory's users): a
/// snapshot in JSON Lines holding those objects and the directory scope with its status — or, when the
/// directory could not be read or was not shared in time, the reason, which the scan records as the
/// directory scope's error so that nothing that depends on it is called compliant.
/// </summary>
public sealed class SharedDirectory
{
    private SharedDirectory(Stream? snapshot, string? unavailable)
    {
        Snapshot = snapshot;
        Unavailable = unavailable;
    }

    /// <summary>The shared snapshot (JSON Lines, with its end line); the collection disposes it. Null when <see cref="Unavailable"/>.</summary>
    public Stream? Snapshot { get; }

    /// <summary>Why the directory's objects are not available to this scan.</summary>
    public string? Unavailable { get; }

    public static SharedDirectory Read(Stream snapshot) => new(snapshot ?? throw new ArgumentNullException(nameof(snapshot)), null);

    public static SharedDirectory NotRead(string reason) => new(null, string.IsNullOrWhiteSpace(reason) ? throw new ArgumentException("a reason is needed", nameof(reason)) : reason);
}
