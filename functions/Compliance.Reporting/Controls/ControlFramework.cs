namespace Compliance.Reporting.Controls;

/// <summary>
/// A framework whose controls the tool knows: its name as rules write it ("NIST-800-53-r5"), its title
/// for people, where its data comes from, and its controls (id → title; an empty title where the
/// framework's titles are not free to copy, as ISO's).
/// </summary>
public sealed class ControlFramework
{
    private readonly Dictionary<string, string> _titles;

    internal ControlFramework(string id, string title, string? url, string source, string covers, Dictionary<string, string> titles)
    {
        Id = id;
        Title = title;
        Url = url;
        Source = source;
        Covers = covers;
        _titles = titles;
    }

    /// <summary>The name rules use under <c>controls</c>: "CIS-Azure-3.0.0", "NIST-800-53-r5", "ISO-27001-2022".</summary>
    public string Id { get; }

    /// <summary>"NIST SP 800-53 Rev. 5".</summary>
    public string Title { get; }

    public string? Url { get; }

    /// <summary>Where the ids and titles come from (the catalog file's header).</summary>
    public string Source { get; }

    /// <summary>Which controls the catalog holds (all of the framework's, or a part).</summary>
    public string Covers { get; }

    /// <summary>Every control id of the catalog, in the catalog's order.</summary>
    public IReadOnlyCollection<string> ControlIds => _titles.Keys;

    /// <summary>The control's title, or null when the catalog has none for it (an id it lacks, or a framework shown by id).</summary>
    public string? TitleOf(string controlId) =>
        _titles.TryGetValue(controlId, out var title) && title.Length > 0 ? title : null;

    public bool Contains(string controlId) => _titles.ContainsKey(controlId);
}
