using Compliance.Core.Findings;
using Compliance.Core.Rules;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>
/// ARM template functions from the one function table: folded when their arguments are known at
/// compile time (parameters, literals), computed per resource over field values.
/// </summary>
public sealed class TemplateFunctionTests
{
    private const string Properties = """{"name":"Web-01","sku":"Standard_D2s_v3","tls":"1.2","zones":["1","2"],"endpoint":"/subscriptions/s9/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1","rules":[{"port":22},{"port":3389}],"size":"  12 "}""";

    [Theory]
    [InlineData("""{"value":"[equals('Audit', 'AUDIT')]","equals":true}""")]
    [InlineData("""{"value":"[equals(parameters('categoryGroup'), 'audit')]","equals":true}""")]
    [InlineData("""{"value":"[if(equals(parameters('categoryGroup'), 'allLogs'), 'a', 'b')]","equals":"b"}""")]
    [InlineData("""{"value":"[first(split('a/b/c', '/'))]","equals":"a"}""")]
    [InlineData("""{"value":"[last(split('a/b/c', '/'))]","equals":"c"}""")]
    [InlineData("""{"value":"[split('a/b/c', '/')[1]]","equals":"b"}""")]
    [InlineData("""{"value":"[concat('x', parameters('categoryGroup'), 1)]","equals":"xaudit1"}""")]
    [InlineData("""{"value":"[toLower('Straße')]","equals":"straße"}""")]
    [InlineData("""{"value":"[contains(createArray('a', 'b'), 'B')]","equals":true}""")]
    [InlineData("""{"value":"[contains('Microsoft.Storage', 'storage')]","equals":true}""")]
    [InlineData("""{"value":"[empty('')]","equals":true}""")]
    [InlineData("""{"value":"[empty(createArray())]","equals":true}""")]
    [InlineData("""{"value":"[padLeft('7', 3, '0')]","equals":"007"}""")]
    [InlineData("""{"value":"[length(createArray(1, 2, 3))]","equals":3}""")]
    [InlineData("""{"value":"[int('42')]","equals":42}""")]
    [InlineData("""{"value":"[requestContext().apiVersion]","greaterOrEquals":"2024-11-01"}""")]
    [InlineData("""{"value":"[not(bool('false'))]","equals":true}""")]
    [InlineData("""{"value":"[json('{\"a\":[1,2]}').a[1]]","equals":2}""")]
    [InlineData("""{"value":"[replace('a b c', ' ', '')]","equals":"abc"}""")]
    [InlineData("""{"value":"[ipRangeContains('10.0.0.0/8', '10.1.2.3')]","equals":true}""")]
    [InlineData("""{"value":"[ipRangeContains('10.0.0.0/8', '11.1.2.3')]","equals":false}""")]
    [InlineData("""{"value":"[format('{0}-{1}', 'a', 2)]","equals":"a-2"}""")]
    [InlineData("""{"value":"[union(createArray('a'), createArray('a', 'b'))]","equals":["a","b"]}""")]
    public async Task Functions_over_literals_and_parameters_fold_to_the_value_Azure_computes(string condition)
    {
        var finding = await EvaluateAsync(condition, Properties, """{"categoryGroup":{"type":"string","default":"audit"}}""");

        Assert.True(finding.Outcome == Outcome.Pass, finding.Reason);
    }

    [Theory]
    [InlineData("""{"value":"[toLower(field('properties.name'))]","equals":"web-01"}""", Outcome.Pass)]
    [InlineData("""{"value":"[split(concat(field('properties.endpoint'), '//'), '/')[2]]","equals":"s9"}""", Outcome.Pass)]
    [InlineData("""{"value":"[split(concat(field('properties.missing'), '//'), '/')[2]]","equals":""}""", Outcome.Pass)]
    [InlineData("""{"value":"[length(field('properties.zones'))]","greaterOrEquals":2}""", Outcome.Pass)]
    [InlineData("""{"value":"[length(field('properties.rules[*].port'))]","equals":2}""", Outcome.Pass)]
    [InlineData("""{"value":"[empty(field('properties.nothing[*].x'))]","equals":true}""", Outcome.Pass)]
    [InlineData("""{"value":"[int(trim(field('properties.size')))]","less":10}""", Outcome.Fail)]
    [InlineData("""{"value":"[subscription().subscriptionId]","equals":"s1"}""", Outcome.Pass)]
    [InlineData("""{"value":"[resourceGroup().name]","equals":"rg"}""", Outcome.Pass)]
    [InlineData("""{"value":"[subscription().tenantId]","equals":"t1"}""", Outcome.Pass)]
    public async Task Functions_over_field_values_are_computed_for_each_resource(string condition, Outcome expected)
    {
        var finding = await EvaluateAsync(condition, Properties);

        Assert.True(finding.Outcome == expected, finding.Reason);
    }

    [Fact]
    public async Task A_function_that_cannot_compute_its_value_for_a_resource_is_an_error_naming_it()
    {
        var finding = await EvaluateAsync("""{"value":"[int(field('properties.name'))]","equals":1}""", Properties);

        Assert.Equal(Outcome.Error, finding.Outcome);
        Assert.Contains("[int(field('properties.name'))]: int() takes a whole number or its text, not 'Web-01'", finding.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"value":"[requestContext().identity]","equals":"x"}""", "requestContext() has no property 'identity' a rule can read (it has apiVersion)")]
    [InlineData("""{"value":"[resourceGroup().managedBy]","equals":"x"}""", "resourceGroup() has no property 'managedBy' a rule can read (it has id, name)")]
    [InlineData("""{"value":"[policy().assignmentId]","equals":"x"}""", "only 'compliance policy import' can resolve it")]
    [InlineData("""{"value":"[equals('a')]","equals":true}""", "equals() takes 2 argument(s): [equals(a, b)]")]
    [InlineData("""{"value":"[split('a', '/')[3]]","equals":true}""", "index 3 is outside the array of 1 element(s)")]
    [InlineData("""{"value":"[uniqueString('a')]","equals":true}""", "unsupported function 'uniqueString()'")]
    public void A_call_that_cannot_work_is_reported_at_compile_time(string condition, string message)
    {
        var diagnostics = RulePackLoader.Load([Input(Pack(condition), "p.json")]).Diagnostics;

        Assert.Contains(diagnostics, d => d.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void If_with_a_known_condition_compiles_only_the_branch_taken()
    {
        var pack = Pack("""{"value":"[if(equals(parameters('mode'), 'a'), 'fine', policy().assignmentId)]","equals":"fine"}""", parameters: """{"mode":{"type":"string","default":"a"}}""");

        Assert.Empty(RulePackLoader.Load([Input(pack, "p.json")]).Diagnostics);
    }

    [Fact]
    public void Printed_expressions_parse_back_to_the_same_call()
    {
        Assert.True(Compliance.Core.Conditions.Expression.TryParse("split(concat(field('a'), 'it''s'), '/')[2].name", out var parsed, out var error), error);

        Assert.Equal("split(concat(field('a'), 'it''s'), '/')[2].name", parsed.ToSource());
    }
}
