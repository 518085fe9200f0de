using System.Reflection;
using Compliance.Core.Evaluation;
using Compliance.Core.Rules;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>The rule model as a contract: compiled once when loaded, and no Newtonsoft types in its public surface.</summary>
public sealed class RuleModelTests
{
    private const string Parameters = """{"max":{"type":"integer","default":3}}""";

    [Fact]
    public void A_scan_without_overrides_uses_the_compilation_of_the_loader()
    {
        var loaded = Load(Pack("""{"field":"properties.n","lessOrEquals":"[parameters('max')]"}""", parameters: Parameters)).PacksOrThrow();
        var rule = loaded[0].Rules[0];

        var set = CompiledRuleSet.Compile(loaded);

        Assert.NotNull(rule.Compiled);
        Assert.Same(rule.Compiled!.Condition, Assert.Single(set.Rules).Condition);
        Assert.Same(rule, set.Rules[0].Rule);
    }

    [Fact]
    public void An_override_compiles_the_pack_again_with_its_values()
    {
        var loaded = Load(Pack("""{"field":"properties.n","lessOrEquals":"[parameters('max')]"}""", parameters: Parameters)).PacksOrThrow();

        var set = CompiledRuleSet.Compile(loaded, new Dictionary<string, string> { ["max"] = "5" });

        Assert.NotSame(loaded[0].Rules[0].Compiled!.Condition, Assert.Single(set.Rules).Condition);
    }

    [Fact]
    public void The_public_rule_model_does_not_expose_newtonsoft_types()
    {
        var newtonsoft = typeof(Newtonsoft.Json.Linq.JToken).Assembly;
        foreach (var type in new[] { typeof(Rule), typeof(RuleTestCase), typeof(RulePack), typeof(RuleParameter), typeof(CompiledRule), typeof(CompiledRuleSet) })
        {
            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var types = member switch
                {
                    PropertyInfo p => [p.PropertyType],
                    MethodInfo m => m.GetParameters().Select(a => a.ParameterType).Append(m.ReturnType),
                    FieldInfo f => [f.FieldType],
                    ConstructorInfo c => c.GetParameters().Select(a => a.ParameterType),
                    _ => [],
                };
                foreach (var t in types.SelectMany(Flatten))
                {
                    Assert.False(t.Assembly == newtonsoft, $"{type.Name}.{member.Name} exposes {t.FullName}");
                }
            }
        }

        static IEnumerable<Type> Flatten(Type t) =>
            t.IsGenericType ? t.GetGenericArguments().SelectMany(Flatten).Prepend(t) : t.HasElementType ? Flatten(t.GetElementType()!).Prepend(t) : [t];
    }
}
