using System.IO.Compression;
using System.Text;
using Compliance.Policy.Aliases;

namespace Compliance.Policy.Tests;

/// <summary>The bundled alias catalog: generated from jeircul/azure-policy-aliases, dated, and the alias kinds the issue names.</summary>
public sealed class AliasCatalogTests
{
    private static readonly AliasCatalog Catalog = AliasCatalog.Bundled;

    [Fact]
    public void The_bundled_catalog_says_where_and_when_it_was_read()
    {
        Assert.StartsWith("jeircul/azure-policy-aliases@", Catalog.Source, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", Catalog.Date);
        Assert.True(Catalog.AliasCount > 50_000, $"{Catalog.AliasCount} aliases");
    }

    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly", "Microsoft.Storage/storageAccounts", "properties.supportsHttpsTrafficOnly")]
    [InlineData("Microsoft.Compute/virtualMachines/sku.name", "Microsoft.Compute/virtualMachines", "properties.hardwareProfile.vmSize")]
    [InlineData("Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRange", "Microsoft.Network/networkSecurityGroups", "properties.securityRules[*].properties.destinationPortRange")]
    [InlineData("Microsoft.Compute/licenseType", "Microsoft.Compute/virtualMachines", "properties.licenseType")]
    [InlineData("Microsoft.Compute/licenseType", "Microsoft.Compute/virtualMachineScaleSets", "properties.virtualMachineProfile.licenseType")]
    public void Aliases_resolve_to_paths_per_type(string alias, string type, string path)
    {
        var paths = Catalog.PathsOf(alias);

        Assert.NotNull(paths);
        Assert.Equal(path, paths.Single(p => p.Key.Equals(type, StringComparison.OrdinalIgnoreCase)).Value);
    }

    [Fact]
    public void A_catalog_written_and_read_again_is_the_same_catalog()
    {
        var catalog = AliasCatalog.FromEntries("tenant t1 (GET /providers)", "2026-11-27", [("Microsoft.Test/things", "Microsoft.Test/things/size", "properties.size"), ("Microsoft.Test/others", "Microsoft.Test/size", "properties.spec.size")]);
        var text = new StringWriter();
        catalog.Write(text);
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text.ToString()));
        }

        compressed.Position = 0;
        var read = AliasCatalog.Load(compressed, "catalog.tsv.gz");

        Assert.Equal("tenant t1 (GET /providers)", read.Source);
        Assert.Equal("2026-11-27", read.Date);
        Assert.Equal("properties.spec.size", read.PathsOf("microsoft.test/SIZE")!["Microsoft.Test/others"]);
    }

    [Fact]
    public void A_file_that_is_not_a_catalog_is_refused_with_what_its_first_line_must_be()
    {
        var error = Assert.Throws<InvalidDataException>(() => AliasCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes("{ \"aliases\": [] }")), "mine.json"));

        Assert.Contains("mine.json: not an alias catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generator_script_and_the_catalog_ship_together()
    {
        Assert.True(File.Exists(RepoPaths.File("functions", "Compliance.Policy", "Aliases", "generate-alias-catalog.py")));
        using var stream = File.OpenRead(RepoPaths.File("functions", "Compliance.Policy", "Aliases", "alias-catalog.tsv.gz"));
        var catalog = AliasCatalog.Load(stream, "alias-catalog.tsv.gz");
        Assert.Equal(Catalog.Date, catalog.Date);
    }
}
