using System.Collections.Frozen;
using System.Reflection;

namespace Compliance.Reporting.Controls;

/// <summary>
/// The control frameworks the tool knows, read once from the catalogs embedded from
/// Data/Controls/*.tsv (each file names its framework, title and source in its header; see
/// Data/README.md). Framework names compare case-insensitively, as in <c>--framework</c>;
/// control ids exactly as the catalog writes them ("AC-2(3)", "7.1", "A.8.20").
/// </summary>
public sealed class ControlCatalog
{
    private const string ResourcePrefix = "Compliance.Reporting.Controls.";

    private readonly FrozenDictionary<string, ControlFramework> _frameworks;

    private ControlCatalog(IEnumerable<ControlFramework> frameworks) =>
        _frameworks = frameworks.ToFrozenDictionary(f => f.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in catalogs.</summary>
    public static ControlCatalog BuiltIn { get; } = Load();

    /// <summary>The frameworks, by name.</summary>
    public IEnumerable<ControlFramework> Frameworks => _frameworks.Values.OrderBy(f => f.Id, StringComparer.Ordinal);

    public ControlFramework? Find(string framework) => _frameworks.GetValueOrDefault(framework);

    /// <summary>The title of a control, when its framework's catalog has one.</summary>
    public string? TitleOf(string framework, string controlId) => Find(framework)?.TitleOf(controlId);

    /// <summary>The framework's title for people ("NIST SP 800-53 Rev. 5"), or its name when the catalog does not know it.</summary>
    public string TitleOfFramework(string framework) => Find(framework)?.Title ?? framework;

    private static ControlCatalog Load()
    {
        var assembly = typeof(ControlCatalog).Assembly;
        var frameworks = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".tsv", StringComparison.Ordinal))
            .Select(n => Read(assembly, n))
            .ToList();
        return new ControlCatalog(frameworks);
    }

    private static ControlFramework Read(Assembly assembly, string resource)
    {
        var id = resource[ResourcePrefix.Length..^".tsv".Length];
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        var sawColumns = false;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    header[line[1..colon].Trim()] = line[(colon + 1)..].Trim();
                }

                continue;
            }

            if (!sawColumns)
            {
                // The column line ("id<TAB>title").
                sawColumns = true;
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                titles[line[..tab]] = line[(tab + 1)..];
            }
        }

        return new ControlFramework(
            id,
            header.GetValueOrDefault("title") ?? id,
            header.GetValueOrDefault("url"),
            header.GetValueOrDefault("source") ?? string.Empty,
            header.GetValueOrDefault("covers") ?? string.Empty,
            titles);
    }
}
