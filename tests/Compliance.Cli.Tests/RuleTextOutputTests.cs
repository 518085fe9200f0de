using System.Text.Json;

namespace Compliance.Cli.Tests;

/// <summary>A rule title that names a parameter shows the value in force in every output a person reads.</summary>
public sealed class RuleTextOutputTests : IDisposable
{
    private const string Pack = """
        {
          "id": "owners",
          "title": "Owners",
          "version": "1.0.0",
          "parameters": { "maxOwners": { "type": "integer", "default": 3 } },
          "rules": [ {
            "id": "T-OWN-001",
            "title": "Subscriptions have at most {maxOwners} Owners",
            "severity": "high",
            "category": "access",
            "resourceTypes": [ "Microsoft.Resources/subscriptions" ],
            "condition": { "field": "properties.owners", "lessOrEquals": "[parameters('maxOwners')]" },
            "remediation": "Remove Owners until {maxOwners} or fewer remain."
          } ]
        }
        """;

    private const string Snapshot = """
        {"schemaVersion":1,"resources":[{"id":"/subscriptions/s1","type":"Microsoft.Resources/subscriptions","name":"Prod","properties":{"owners":4}}]}
        """;

    private readonly TempFolder _dir = new();

    public RuleTextOutputTests()
    {
        File.WriteAllText(_dir.File("owners.json"), Pack);
        File.WriteAllText(_dir.File("snapshot.json"), Snapshot);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(int ExitCode, string Out, string Error)> ScanAsync(params string[] extra) =>
        CliRunner.RunAsync(["scan", "--snapshot", _dir.File("snapshot.json"), "--rules", _dir.File("owners.json"), "--store", _dir.File("store.db"), .. extra]);

    [Fact]
    public async Task Json_csv_and_summary_show_the_overridden_value()
    {
        var (jsonCode, json, _) = await ScanAsync("--format", "json", "--param", "maxOwners=5");
        var (_, csv, _) = await ScanAsync("--format", "csv", "--param", "maxOwners=5");
        var (_, table, _) = await ScanAsync("--param", "maxOwners=2");

        Assert.Equal(0, jsonCode);
        using var doc = JsonDocument.Parse(json);
        var finding = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("Subscriptions have at most 5 Owners", finding.GetProperty("ruleTitle").GetString());
        Assert.Equal("Remove Owners until 5 or fewer remain.", finding.GetProperty("remediation").GetString());
        Assert.Contains("Subscriptions have at most 5 Owners", csv, StringComparison.Ordinal);
        Assert.Contains("Remove Owners until 5 or fewer remain.", csv, StringComparison.Ordinal);
        Assert.Contains("Subscriptions have at most 2 Owners", table, StringComparison.Ordinal);
        Assert.DoesNotContain("{maxOwners}", json + csv + table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_list_shows_the_pack_default()
    {
        var (code, output, _) = await CliRunner.RunAsync("rules", "list", _dir.File("owners.json"));

        Assert.Equal(0, code);
        Assert.Contains("Subscriptions have at most 3 Owners", output, StringComparison.Ordinal);
    }
}
