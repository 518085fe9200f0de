using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Compliance.Tests.Shared;

/// <summary>
/// The real-shape corpus under tests/Corpus: Microsoft's own example responses, turned into snapshot
/// resources the way the collectors write them, and the scenarios of tests/Corpus/scenarios.json
/// (snapshots built from them, with one-property changes). See tests/Corpus/README.md.
/// </summary>
internal static class Corpus
{
    /// <summary>The collection time of every corpus snapshot: verdicts with a clock are pinned to it.</summary>
    public const string CollectedAt = "2026-11-27T02:00:00Z";

    /// <summary>The tenant id given to Resource Graph rows (the examples come from many tenants).</summary>
    public const string TenantId = "72f988bf-0000-4000-8000-00000000c0de";

    private static readonly Lazy<string> RootPath = new(Locate);

    /// <summary>The folder tests/Corpus.</summary>
    public static string Root => RootPath.Value;

    /// <summary>Every corpus file that gives resources (not fragments), as a path relative to the corpus, with '/'.</summary>
    public static IReadOnlyList<string> Files() =>
        Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories)
            .Select(Relative)
            .Where(f => (f.StartsWith("arm/", StringComparison.Ordinal) || f.StartsWith("graph/", StringComparison.Ordinal) || f.StartsWith("resource-graph/", StringComparison.Ordinal))
                        && !f.StartsWith("graph/fragments/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The source note of a corpus file.</summary>
    public static JsonObject Source(string file) => (JsonObject)Read(file)["source"]!.DeepClone();

    /// <summary>The snapshot resources one corpus file gives, in ARM / Graph shape as published.</summary>
    public static IReadOnlyList<JsonObject> Resources(string file)
    {
        var body = Read(file)["body"]!;
        var items = file.StartsWith("resource-graph/", StringComparison.Ordinal)
            ? ((JsonArray)body["data"]!).Select(n => n!)
            : body is JsonObject o && o["value"] is JsonArray value ? value.Select(n => n!) : [body];
        var folder = file.Split('/')[1];
        return items.Select(item =>
        {
            var resource = (JsonObject)item.DeepClone();
            if (file.StartsWith("graph/", StringComparison.Ordinal))
            {
                // The collector writes each Graph object in its flat shape with a type naming its collection.
                resource.Remove("@odata.context");
                resource["type"] = "microsoft.graph/" + folder;
            }
            else if (resource["type"] is null)
            {
                resource["type"] = TypeOfFolder(folder);
            }

            return resource;
        }).ToList();
    }

    /// <summary>Every scenario: each corpus file alone, then the scenarios of scenarios.json.</summary>
    public static IReadOnlyList<Scenario> Scenarios()
    {
        var scenarios = Files().Select(f => new Scenario(f, Resources(f), $"{f} as published")).ToList();
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "scenarios.json")))!;
        foreach (var node in (JsonArray)document["scenarios"]!)
        {
            var resources = new List<JsonObject>();
            foreach (var entry in (JsonArray)node!["resources"]!)
            {
                var from = (string)entry!["from"]!;
                var all = Resources(from);
                var picked = entry["index"] is { } index ? [all[(int)index]] : all;
                foreach (var resource in picked)
                {
                    var copy = (JsonObject)resource.DeepClone();
                    if (entry["set"] is JsonObject changes)
                    {
                        foreach (var (path, value) in changes)
                        {
                            Set(copy, path, Resolve(value));
                        }
                    }

                    resources.Add(copy);
                }
            }

            scenarios.Add(new Scenario((string)node["name"]!, resources, (string?)node["why"] ?? string.Empty));
        }

        return scenarios;
    }

    /// <summary>
    /// A resource as an Azure Resource Graph row: lower-case type, and the columns Resource Graph adds
    /// at the top (tenantId, subscriptionId and resourceGroup from the id). Graph objects are returned as they are.
    /// </summary>
    public static JsonObject AsResourceGraphRow(JsonObject resource)
    {
        var row = (JsonObject)resource.DeepClone();
        var type = (string)row["type"]!;
        if (type.StartsWith("microsoft.graph/", StringComparison.OrdinalIgnoreCase))
        {
            return row;
        }

        row["type"] = type.ToLowerInvariant();
        var segments = ((string)row["id"]!).Split('/', StringSplitOptions.RemoveEmptyEntries);
        row["tenantId"] ??= TenantId;
        if (segments.Length >= 2 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            row["subscriptionId"] ??= segments[1];
        }

        if (segments.Length >= 4 && segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            row["resourceGroup"] ??= segments[3].ToLowerInvariant();
        }

        return row;
    }

    /// <summary>A snapshot document of resources, collected at <see cref="CollectedAt"/>.</summary>
    public static string Snapshot(IEnumerable<JsonObject> resources)
    {
        var snapshot = new JsonObject
        {
            ["schemaVersion"] = 1,
            ["tenantId"] = TenantId,
            ["collectedAt"] = CollectedAt,
            ["scopes"] = new JsonArray(),
            ["resources"] = new JsonArray(resources.Select(r => (JsonNode)r.DeepClone()).ToArray()),
        };
        return snapshot.ToJsonString();
    }

    /// <summary>
    /// Sets one property of a resource: a path of names and [n] indexes ("properties.securityRules[0].properties.access").
    /// A value { "$remove": true } removes the property.
    /// </summary>
    public static void Set(JsonObject resource, string path, JsonNode? value)
    {
        var parts = Parse(path);
        JsonNode current = resource;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            current = Step(current, parts[i], parts[i + 1] is int ? new JsonArray() : new JsonObject(), path);
        }

        var last = parts[^1];
        var remove = value is JsonObject o && o["$remove"] is not null;
        switch (last, current)
        {
            case (string name, JsonObject obj):
                var key = obj.Select(p => p.Key).FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;
                if (remove)
                {
                    obj.Remove(key);
                }
                else
                {
                    obj[key] = value;
                }

                break;
            case (int index, JsonArray array) when !remove:
                array[index] = value;
                break;
            default:
                throw new InvalidOperationException($"cannot set '{path}' of a corpus resource");
        }
    }

    private static JsonNode Step(JsonNode current, object part, JsonNode create, string path) => (part, current) switch
    {
        (string name, JsonObject obj) => obj.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value ?? (obj[name] = create),
        (int index, JsonArray array) => array[index] ?? throw new InvalidOperationException($"'{path}': no element {index}"),
        _ => throw new InvalidOperationException($"cannot follow '{path}' in a corpus resource"),
    };

    private static List<object> Parse(string path)
    {
        var parts = new List<object>();
        foreach (var piece in path.Split('.'))
        {
            var name = piece;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var rest = bracket < 0 ? string.Empty : name[bracket..];
            name = bracket < 0 ? name : name[..bracket];
            if (name.Length > 0)
            {
                parts.Add(name);
            }

            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                parts.Add(int.Parse(rest[1..close], CultureInfo.InvariantCulture));
                rest = rest[(close + 1)..];
            }
        }

        return parts;
    }

    /// <summary>A value of scenarios.json: { "$fragment": "graph/fragments/x.json" } is that file's body; arrays and objects are searched for fragments.</summary>
    private static JsonNode? Resolve(JsonNode? value) => value switch
    {
        JsonObject o when o["$fragment"] is { } fragment => Read((string)fragment!)["body"]!.DeepClone(),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Resolve).ToArray()),
        _ => value?.DeepClone(),
    };

    /// <summary>Microsoft.Resources.subscriptions → Microsoft.Resources/subscriptions.</summary>
    private static string TypeOfFolder(string folder)
    {
        var parts = folder.Split('.');
        return parts[0] + "." + parts[1] + "/" + string.Join('/', parts[2..]);
    }

    private static JsonNode Read(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, file), Encoding.UTF8))!;

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Corpus");
            if (File.Exists(Path.Combine(candidate, "README.md")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/Corpus not found above {AppContext.BaseDirectory}");
    }

    /// <summary>One corpus snapshot: a name, its resources (ARM / Graph shape) and what it shows.</summary>
    internal sealed record Scenario(string Name, IReadOnlyList<JsonObject> Resources, string Why);
}
