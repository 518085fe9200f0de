using Compliance.Core.Conditions;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Conversion;

/// <summary>
/// Which resources a translated <c>if</c> applies to, as Azure Policy decides it
/// (https://learn.microsoft.com/azure/governance/policy/concepts/policy-applicability): for audit and
/// deny, only the type, name and kind conditions count and every other condition is taken as true
/// (false when negated); when the <c>if</c> has nothing but type, name and kind conditions, only the
/// type conditions count; a condition on location keeps the policy off subscriptions. The resource
/// types are those the type conditions allow.
/// </summary>
internal static class Applicability
{
    private static readonly string[] Logic = ["allOf", "anyOf", "not"];

    /// <summary>The types a condition <c>{ "field": "type", "equals"|"in": … }</c> names (lower case), or null for another condition.</summary>
    public static IReadOnlyList<string>? TypeLeaf(JObject condition)
    {
        if (!IsField(condition, "type"))
        {
            return null;
        }

        foreach (var property in condition.Properties())
        {
            if (property.Name.Equals("equals", StringComparison.OrdinalIgnoreCase) && property.Value.Type == JTokenType.String && !IsExpression(property.Value))
            {
                return [((string)property.Value!).ToLowerInvariant()];
            }

            if (property.Name.Equals("in", StringComparison.OrdinalIgnoreCase) && property.Value is JArray values && values.All(v => v.Type == JTokenType.String))
            {
                return [.. values.Select(v => ((string)v!).ToLowerInvariant())];
            }
        }

        return null;
    }

    /// <summary>
    /// The types the condition can be true for (lower case): from its type conditions, with like
    /// patterns matched against the catalog's types; null when nothing limits them.
    /// </summary>
    public static HashSet<string>? Types(JToken condition, IEnumerable<string> knownTypes)
    {
        if (condition is not JObject obj)
        {
            return null;
        }

        if (Get(obj, "allOf") is JArray all)
        {
            HashSet<string>? result = null;
            foreach (var child in all)
            {
                if (Types(child, knownTypes) is { } types)
                {
                    result = result is null ? types : [.. result.Where(types.Contains)];
                }
            }

            return result;
        }

        if (Get(obj, "anyOf") is JArray any)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var child in any)
            {
                if (Types(child, knownTypes) is not { } types)
                {
                    return null;
                }

                result.UnionWith(types);
            }

            return result;
        }

        if (TypeLeaf(obj) is { } named)
        {
            return [.. named];
        }

        if (IsField(obj, "type") && Get(obj, "like") is { Type: JTokenType.String } like && !IsExpression(like))
        {
            var pattern = new LikePattern((string)like!);
            return [.. knownTypes.Where(pattern.IsMatch).Select(t => t.ToLowerInvariant())];
        }

        return null;
    }

    /// <summary>
    /// The applicability condition of an audit or deny rule: the <c>if</c> with only the conditions
    /// that decide applicability kept. Null when it is always true.
    /// </summary>
    public static JToken? Where(JToken condition)
    {
        var (hasType, hasOther) = (false, false);
        Visit(condition, leaf =>
        {
            if (IsField(leaf, "type"))
            {
                hasType = true;
            }
            else if (!IsField(leaf, "name") && !IsField(leaf, "kind"))
            {
                hasOther = true;
            }
        });

        // Only type, name and kind conditions: the type conditions alone count.
        string[] considered = hasOther ? ["type", "name", "kind"] : ["type"];
        var projected = Possible(condition, considered);
        if (projected is null)
        {
            return null;
        }

        // What resourceTypes already says needs no where.
        return OnlyTypeChoices(projected) ? null : projected;
    }

    /// <summary>True when the condition is nothing but type equals/in/like choices (all of which resourceTypes states).</summary>
    private static bool OnlyTypeChoices(JToken condition) => condition switch
    {
        JObject obj when Get(obj, "anyOf") is JArray any => any.All(OnlyTypeChoices),
        JObject obj when Get(obj, "allOf") is JArray { Count: 1 } single => OnlyTypeChoices(single[0]),
        JObject obj => TypeLeaf(obj) is not null || (IsField(obj, "type") && Get(obj, "like") is { Type: JTokenType.String }),
        _ => false,
    };

    /// <summary>P: the condition with every condition not considered taken as true; null for "always true", a False marker for "never".</summary>
    private static JToken? Possible(JToken condition, string[] considered) => Project(condition, considered, possible: true) switch
    {
        Projection.Always => null,
        Projection.Never => new JObject { ["field"] = "type", ["exists"] = false },
        Projection.Of(var token) => token,
        _ => null,
    };

    private abstract record Projection
    {
        public sealed record Always : Projection;

        public sealed record Never : Projection;

        public sealed record Of(JToken Token) : Projection;
    }

    /// <summary>
    /// Possible (P) keeps what might be true: an ignored condition is true. Necessary (N) keeps what
    /// must be true: an ignored condition is false. not(x) is not(N(x)) under P and not(P(x)) under N.
    /// </summary>
    private static Projection Project(JToken condition, string[] considered, bool possible)
    {
        if (condition is not JObject obj)
        {
            return possible ? new Projection.Always() : new Projection.Never();
        }

        if (Get(obj, "allOf") is JArray all)
        {
            var kept = new JArray();
            foreach (var child in all)
            {
                switch (Project(child, considered, possible))
                {
                    case Projection.Never:
                        return new Projection.Never();
                    case Projection.Of(var token):
                        kept.Add(token);
                        break;
                }
            }

            return kept.Count switch
            {
                0 => new Projection.Always(),
                1 => new Projection.Of(kept[0]),
                _ => new Projection.Of(Copy(obj, new JObject { ["allOf"] = kept })),
            };
        }

        if (Get(obj, "anyOf") is JArray any)
        {
            var kept = new JArray();
            foreach (var child in any)
            {
                switch (Project(child, considered, possible))
                {
                    case Projection.Always:
                        return new Projection.Always();
                    case Projection.Of(var token):
                        kept.Add(token);
                        break;
                }
            }

            return kept.Count switch
            {
                0 => new Projection.Never(),
                1 => new Projection.Of(kept[0]),
                _ => new Projection.Of(Copy(obj, new JObject { ["anyOf"] = kept })),
            };
        }

        if (Get(obj, "not") is { } inner)
        {
            return Project(inner, considered, !possible) switch
            {
                Projection.Always => new Projection.Never(),
                Projection.Never => new Projection.Always(),
                Projection.Of(var token) => new Projection.Of(Copy(obj, new JObject { ["not"] = token })),
                _ => throw new InvalidOperationException(),
            };
        }

        return considered.Any(f => IsField(obj, f))
            ? new Projection.Of(obj.DeepClone())
            : possible ? new Projection.Always() : new Projection.Never();
    }

    /// <summary>Every leaf condition (not allOf/anyOf/not), including those inside count.where.</summary>
    private static void Visit(JToken condition, Action<JObject> leaf)
    {
        if (condition is not JObject obj)
        {
            return;
        }

        var logic = obj.Properties().Where(p => Logic.Contains(p.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (logic.Count == 0)
        {
            leaf(obj);
            return;
        }

        foreach (var property in logic)
        {
            if (property.Value is JArray items)
            {
                foreach (var item in items)
                {
                    Visit(item, leaf);
                }
            }
            else
            {
                Visit(property.Value, leaf);
            }
        }
    }

    private static JObject Copy(JObject source, JObject target)
    {
        foreach (var annotation in source.Annotations<SourceToken>())
        {
            target.AddAnnotation(annotation);
        }

        return target;
    }

    public static bool IsField(JObject condition, string name) =>
        Get(condition, "field") is { Type: JTokenType.String } field && ((string)field!).Equals(name, StringComparison.OrdinalIgnoreCase);

    private static bool IsExpression(JToken token) => ConditionTranslator.IsExpression((string)token!);

    private static JToken? Get(JObject obj, string name) => Definitions.Json.Get(obj, name);
}
