using System.Text.RegularExpressions;

namespace Compliance.Azure.Collectors.ResourceGraph;

/// <summary>One query per Resource Graph table: every needed type of that table, in a stable order for paging.</summary>
/// <param name="Table">The table (resources, resourcecontainers, …).</param>
/// <param name="Types">Lower-case resource types.</param>
internal sealed partial record ResourceGraphQuery(string Table, IReadOnlyList<string> Types)
{
    /// <summary>
    /// The KQL text. Ordered by id because Resource Graph documents that paging without an order can
    /// skip or repeat rows.
    /// </summary>
    public string Text => $"{Table} | where type in~ ({string.Join(", ", Types.Select(t => $"'{t}'"))}) | order by id asc";

    /// <summary>A type name that is safe to put in a query (letters, digits, dots, slashes, dashes).</summary>
    public static bool IsSafeType(string type) => SafeType().IsMatch(type);

    [GeneratedRegex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeType();
}
