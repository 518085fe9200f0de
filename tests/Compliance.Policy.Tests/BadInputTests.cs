using Compliance.Policy.Aliases;
using Compliance.Policy.Conversion;
using Compliance.Policy.Definitions;
using static Compliance.Policy.Tests.Support.PolicyHarness;

namespace Compliance.Policy.Tests;

/// <summary>What cannot be imported is said plainly: the file, line, column and JSON path of the construct, and what to do.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void An_unknown_alias_is_an_error_naming_the_alias_and_the_catalog_date()
    {
        var result = Single(ImportJson(("custom.json", Definition("""
            {
              "allOf": [
                { "field": "type", "equals": "Microsoft.Storage/storageAccounts" },
                { "field": "Microsoft.Storage/storageAccounts/notAnAlias", "equals": "x" }
              ]
            }
            """))));

        Assert.Equal(ConversionStatus.Unsupported, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("custom.json", problem.Location.File);
        Assert.Equal(12, problem.Location.Line);
        Assert.Equal("$.properties.policyRule.if.allOf[1].field", problem.Location.JsonPath);
        Assert.Contains("unknown alias 'Microsoft.Storage/storageAccounts/notAnAlias'", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"alias catalog of {AliasCatalog.Bundled.Date}", problem.Message, StringComparison.Ordinal);
        Assert.Contains("compliance policy aliases refresh", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_over_field_values_the_engine_cannot_compute_is_unsupported_with_its_path()
    {
        var result = Single(ImportJson(("custom.json", Definition("""
            { "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" },
                         { "value": "[uniqueString(field('name'))]", "equals": "abc" } ] }
            """))));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.properties.policyRule.if.allOf[1].value", problem.Location.JsonPath);
        Assert.Equal(10, problem.Location.Line);
        Assert.True(problem.Location.Column > 1);
        Assert.StartsWith("unsupported function 'uniqueString()'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_without_a_default_and_no_value_names_the_parameter_and_how_to_give_it()
    {
        var definition = Definition(
            """{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "location", "notEquals": "[parameters('resourceLocation')]" } ] }""",
            parameters: """{ "resourceLocation": { "type": "String", "metadata": { "displayName": "Location" } } }""");

        var result = Single(ImportJson(("custom.json", definition)));
        var given = Single(ImportJson(new Dictionary<string, string> { ["resourceLocation"] = "westeurope" }, ("custom.json", definition)));

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.properties.policyRule.if.allOf[1].notEquals", problem.Location.JsonPath);
        Assert.Contains("parameter 'resourceLocation' has no default value and none was given (declared at line 7)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("--param resourceLocation=VALUE", problem.Message, StringComparison.Ordinal);
        Assert.Equal(ConversionStatus.Converted, given.Status);
    }

    [Fact]
    public void A_value_outside_allowedValues_stops_that_definition_only()
    {
        var strict = Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/minimumTlsVersion", "notEquals": "[parameters('tls')]" } ] }""",
            parameters: """{ "tls": { "type": "String", "allowedValues": [ "TLS1_2" ], "defaultValue": "TLS1_2" } }""", name: "strict");
        var loose = Definition("""{ "allOf": [ { "field": "type", "equals": "Microsoft.Storage/storageAccounts" }, { "field": "Microsoft.Storage/storageAccounts/minimumTlsVersion", "notEquals": "[parameters('tls')]" } ] }""",
            parameters: """{ "tls": { "type": "String", "defaultValue": "TLS1_2" } }""", name: "loose");

        var result = ImportJson(new Dictionary<string, string> { ["tls"] = "TLS1_1" }, ("strict.json", strict), ("loose.json", loose));

        Assert.Equal(ConversionStatus.Unsupported, result.Results.Single(r => r.Definition.Name == "strict").Status);
        Assert.Contains("'TLS1_1' is not an allowed value of parameter 'tls' (allowed: 'TLS1_2')", result.Results.Single(r => r.Definition.Name == "strict").Reason, StringComparison.Ordinal);
        Assert.Equal(ConversionStatus.Converted, result.Results.Single(r => r.Definition.Name == "loose").Status);
    }

    [Fact]
    public void A_parameter_value_no_imported_definition_declares_is_bad_input()
    {
        var error = Assert.Throws<PolicyInputException>(() => ImportJson(new Dictionary<string, string> { ["resourceLocaton"] = "westeurope" },
            ("custom.json", Definition("""{ "field": "type", "equals": "Microsoft.Storage/storageAccounts" }""", parameters: """{ "resourceLocation": { "type": "String", "defaultValue": "x" } }"""))));

        Assert.Contains("no imported definition or initiative declares a parameter 'resourceLocaton'; did you mean 'resourceLocation'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"properties\": { \"policyRule\": { \"if\": { \"field\": \"type\" \"equals\": \"x\" } } } }", 1, "invalid JSON")]
    [InlineData("{ \"properties\": { \"displayName\": \"x\" } }", 1, "not a policy definition or initiative")]
    [InlineData("{\n  \"properties\": {\n    \"policyRule\": [ 1 ]\n  }\n}", 3, "policyRule must be an object")]
    [InlineData("[ 42 ]", 1, "expected a policy definition or initiative object, not a number")]
    public void A_malformed_definition_is_bad_input_with_its_line_and_path(string json, int line, string message)
    {
        var error = Assert.Throws<PolicyInputException>(() => ImportJson(("broken.json", json)));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("broken.json", problem.Location.File);
        Assert.Equal(line, problem.Location.Line);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_without_its_then_or_details_is_not_converted_and_says_which_part_is_missing()
    {
        var noDetails = Single(ImportJson(("d.json", Definition("""{ "field": "type", "equals": "Microsoft.KeyVault/vaults" }""", """{ "effect": "AuditIfNotExists" }"""))));

        Assert.Equal(ConversionStatus.Unsupported, noDetails.Status);
        Assert.Contains("needs then.details", noDetails.Reason, StringComparison.Ordinal);
        Assert.Equal("$.properties.policyRule.then", noDetails.Problems[0].Location.JsonPath);
    }

    [Fact]
    public void A_definition_that_names_no_resource_type_is_not_converted_and_says_why()
    {
        var result = Single(ImportJson(("d.json", Definition("""{ "field": "location", "notIn": [ "westeurope" ] }""", mode: "Indexed"))));

        Assert.Equal(ConversionStatus.Unsupported, result.Status);
        Assert.Contains("applies to every resource type", result.Reason, StringComparison.Ordinal);
    }
}
