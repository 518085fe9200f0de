using Compliance.Core.Conditions;
using Compliance.Core.Evaluation;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Tests;

/// <summary>
/// The related index keeps its candidates in a temporary file and only hashes in memory: what it
/// answers must be exactly what an in-memory scan over the candidates' ids would answer.
/// </summary>
public sealed class RelatedIndexTests
{
    private const string Vnet = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet1";
    private static readonly KeptPaths KeepProperties = KeptPaths.From([FieldPath.FromSegments([PathSegment.Property("properties")])]);

    public static TheoryData<bool> Backings => new() { true, false };

    [Theory]
    [MemberData(nameof(Backings))]
    public void Children_are_found_below_their_resource_and_group_whatever_the_case_of_the_parent_id(bool onDisk)
    {
        using var index = Index(onDisk, "Microsoft.Network/virtualNetworks/subnets");
        Add(index, $"{Vnet}/subnets/b", "Microsoft.Network/virtualNetworks/subnets");
        Add(index, $"{Vnet}/subnets/A", "Microsoft.Network/virtualNetworks/subnets");
        Add(index, $"{Vnet}2/subnets/other", "Microsoft.Network/virtualNetworks/subnets");

        Assert.Equal([$"{Vnet}/subnets/A", $"{Vnet}/subnets/b"], Ids(Children(index, "Microsoft.Network/virtualNetworks/subnets", Vnet.ToUpperInvariant())));
        Assert.Equal(3, Children(index, "microsoft.network/virtualnetworks/subnets", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-NET").Count);

        // Below a subscription, what lies in its resource groups belongs to them: its children are its own extension resources.
        Assert.Empty(Children(index, "Microsoft.Network/virtualNetworks/subnets", "/subscriptions/00000000-0000-0000-0000-000000000001"));
        Assert.Empty(Children(index, "Microsoft.Network/virtualNetworks/subnets", $"{Vnet}/subnets/A"));
    }

    [Theory]
    [MemberData(nameof(Backings))]
    public void A_parent_whose_id_is_not_a_scope_or_resource_id_still_finds_its_children(bool onDisk)
    {
        // "/users/u1" is not a scope or ARM resource id, so it is not indexed as a parent: every candidate is looked at.
        using var index = Index(onDisk, "test/notes");
        Add(index, "/users/u1/notes/n1", "test/notes");
        Add(index, "/users/u2/notes/n2", "test/notes");

        Assert.False(ResourceIds.IsParentShaped("/users/u1"));
        Assert.Equal(["/users/u1/notes/n1"], Ids(Children(index, "test/notes", "/USERS/u1")));
    }

    [Theory]
    [MemberData(nameof(Backings))]
    public void An_extension_resource_belongs_to_the_resource_it_extends_not_to_its_ancestors(bool onDisk)
    {
        const string Account = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1";
        using var index = Index(onDisk, "Microsoft.Insights/diagnosticSettings");
        Add(index, $"{Account}/providers/Microsoft.Insights/diagnosticSettings/account", "Microsoft.Insights/diagnosticSettings");
        Add(index, $"{Account}/blobServices/default/providers/Microsoft.Insights/diagnosticSettings/blob", "Microsoft.Insights/diagnosticSettings");

        Assert.Equal([$"{Account}/providers/Microsoft.Insights/diagnosticSettings/account"], Ids(Children(index, "Microsoft.Insights/diagnosticSettings", Account)));
        Assert.Single(Children(index, "Microsoft.Insights/diagnosticSettings", $"{Account}/blobServices/default"));
    }

    [Theory]
    [MemberData(nameof(Backings))]
    public void Thousands_of_candidates_come_back_whole_with_their_json_name_and_location(bool onDisk)
    {
        // More candidates than stay cached, and more bytes than one write buffer.
        using var index = Index(onDisk, "Microsoft.Sql/servers/firewallRules");
        for (var s = 0; s < 10; s++)
        {
            for (var r = 0; r < 700; r++)
            {
                var id = $"/subscriptions/00000000-0000-0000-0000-00000000000{s}/resourceGroups/rg/providers/Microsoft.Sql/servers/sql{s}/firewallRules/rule{r}";
                index.Add(SnapshotResource.Parse($$"""{"id":"{{id}}","type":"Microsoft.Sql/servers/firewallRules","name":"Rule {{r}}","location":"westeurope","properties":{"endIpAddress":"10.0.{{s}}.{{r % 250}}"},"etag":"dropped"}"""), KeepProperties);
            }
        }

        Assert.Equal(7000, index.Count);
        Assert.Equal(onDisk, index.OnDisk);
        for (var s = 9; s >= 0; s--)
        {
            var children = Children(index, "Microsoft.Sql/servers/firewallRules", $"/subscriptions/00000000-0000-0000-0000-00000000000{s}/resourceGroups/rg/providers/Microsoft.Sql/servers/sql{s}");
            Assert.Equal(700, children.Count);
            var rule = children.Single(c => c.Id.EndsWith("/rule699", StringComparison.Ordinal));
            Assert.Equal("Rule 699", rule.Name);
            Assert.Equal("westeurope", rule.Location);
            Assert.Equal($$$"""{"properties":{"endIpAddress":"10.0.{{{s}}}.199"}}""", rule.Json.GetRawText());
            Assert.Equal($"00000000-0000-0000-0000-00000000000{s}", rule.SubscriptionId);
        }

        Assert.Equal(700, index.Candidates("Microsoft.Sql/servers/firewallRules", RelatedScope.Subscription, "x", "00000000-0000-0000-0000-000000000003", null, Context(index)).Count);
        Assert.Equal(7000, index.Candidates("Microsoft.Sql/servers/firewallRules", RelatedScope.Tenant, "x", null, null, Context(index)).Count);
        Assert.Equal(
            700,
            index.Candidates("Microsoft.Sql/servers/firewallRules", RelatedScope.ResourceGroup, "/subscriptions/00000000-0000-0000-0000-000000000004/resourceGroups/RG/providers/Microsoft.Sql/servers/sql4", null, null, Context(index)).Count);
    }

    [Fact]
    public void Without_a_writable_temporary_folder_the_candidates_stay_in_memory()
    {
        using var arena = new SpillArena(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "nested"));
        var small = arena.Append("one"u8);
        var large = arena.Append(new byte[100_000]);

        Assert.False(arena.OnDisk);
        var back = new byte[3];
        arena.Read(small, back);
        Assert.Equal("one"u8.ToArray(), back);
        Assert.Equal(100_003, arena.Length);
        Assert.NotEqual(small, large);
    }

    [Fact]
    public void Records_read_back_from_the_file_and_from_the_unwritten_buffer_alike()
    {
        using var arena = new SpillArena();
        Assert.False(arena.OnDisk);
        var records = Enumerable.Range(0, 2000).Select(i => System.Text.Encoding.UTF8.GetBytes(new string((char)('a' + (i % 26)), 1 + (i * 37 % 300)))).ToList();
        records.Insert(1000, new byte[200_000]);
        var offsets = records.Select(r => arena.Append(r)).ToList();
        Assert.True(arena.OnDisk);

        for (var i = records.Count - 1; i >= 0; i--)
        {
            var back = new byte[records[i].Length];
            arena.Read(offsets[i], back);
            Assert.Equal(records[i], back);
        }
    }

    [Fact]
    public void The_temporary_file_leaves_nothing_behind()
    {
        var folder = Directory.CreateTempSubdirectory("compliance-spill-test-").FullName;
        try
        {
            using (var arena = new SpillArena(folder))
            {
                arena.Append(new byte[300_000]);
                Assert.True(arena.OnDisk);
                if (!OperatingSystem.IsWindows())
                {
                    // Unlinked at once: a scan killed with kill -9 leaves no file.
                    Assert.Empty(Directory.GetFiles(folder));
                }
            }

            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("/subscriptions/s", true)]
    [InlineData("/subscriptions/s/resourceGroups/rg", true)]
    [InlineData("/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg", true)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app", true)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/staging", true)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/providers/Microsoft.Insights/diagnosticSettings/d", true)]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg", true)]
    [InlineData("/subscriptions/s/resourceGroups", false)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web", false)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites", false)]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots", false)]
    [InlineData("/subscriptions//resourceGroups/rg", false)]
    [InlineData("/users/u1", false)]
    [InlineData("t1", false)]
    public void Parent_shaped_ids_are_scopes_and_resources(string id, bool shaped) =>
        Assert.Equal(shaped, ResourceIds.IsParentShaped(id));

    [Fact]
    public void The_parents_of_a_nested_resource_are_its_subscription_group_and_resources_above_it()
    {
        var lengths = new List<int>();
        ResourceIds.ParentLengths($"{Vnet}/subnets/s1", lengths);

        Assert.Equal(
            ["/subscriptions/00000000-0000-0000-0000-000000000001", "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net", Vnet],
            lengths.Select(l => $"{Vnet}/subnets/s1"[..l]));
    }

    private static RelatedIndex Index(bool onDisk, params string[] types) =>
        new(types, onDisk ? null : Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}"));

    private static void Add(RelatedIndex index, string id, string type) =>
        index.Add(SnapshotResource.Parse($$$"""{"id":"{{{id}}}","type":"{{{type}}}","properties":{"x":1}}"""), KeepProperties);

    private static IReadOnlyList<SnapshotResource> Children(RelatedIndex index, string type, string parentId) =>
        index.Candidates(type, RelatedScope.Children, parentId, ResourceIds.SubscriptionOf(parentId), null, Context(index));

    private static EvaluationContext Context(RelatedIndex index) => new(DateTimeOffset.UnixEpoch, index);

    private static List<string> Ids(IEnumerable<SnapshotResource> resources) => [.. resources.Select(r => r.Id)];
}
