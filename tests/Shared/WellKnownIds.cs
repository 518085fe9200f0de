using System.Text.Json;

namespace Compliance.Tests.Shared;

/// <summary>
/// The repository's table of well-known ids (rules/facts/well-known-ids.json): test data and
/// generators take Azure role, Entra role and first-party app ids from it by name, so that a
/// mistyped id cannot agree with itself in two places.
/// </summary>
internal static class WellKnownIds
{
    private static readonly Lazy<IReadOnlyList<Entry>> Table = new(Load);

    /// <summary>Every id of the table that has a Microsoft source.</summary>
    public static IReadOnlyList<Entry> All => Table.Value;

    /// <summary>The role definition id (a GUID) of an Azure built-in role, by its display name.</summary>
    public static string AzureRole(string name) => Find("azure-role", name);

    /// <summary>The role template id of a Microsoft Entra built-in role, by its display name.</summary>
    public static string EntraRole(string name) => Find("entra-role-template", name);

    /// <summary>The application id of a Microsoft first-party application, by its display name.</summary>
    public static string FirstPartyApp(string name) => Find("first-party-app", name);

    private static string Find(string kind, string name) =>
        Table.Value.FirstOrDefault(e => e.Kind == kind && string.Equals(e.Name, name, StringComparison.Ordinal))?.Id
        ?? throw new KeyNotFoundException($"rules/facts/well-known-ids.json has no {kind} named '{name}'");

    private static IReadOnlyList<Entry> Load()
    {
        using var stream = File.OpenRead(Locate());
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("ids").EnumerateArray()
            .Select(e => new Entry(e.GetProperty("id").GetString()!, e.GetProperty("name").GetString()!, e.GetProperty("kind").GetString()!))
            .ToList();
    }

    /// <summary>The table beside the running assembly (test projects copy rules/**) or in the repository above it.</summary>
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "rules", "facts", "well-known-ids.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"rules/facts/well-known-ids.json not found beside or above {AppContext.BaseDirectory}");
    }

    /// <summary>One row of the table.</summary>
    internal sealed record Entry(string Id, string Name, string Kind);
}
