using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Core.Conditions;

/// <summary>What a template function computed, or why it could not.</summary>
internal readonly record struct FunctionResult(JsonElement Value, string? Error)
{
    public static FunctionResult Of(JsonElement value) => new(value, null);

    public static FunctionResult Of(string text) => new(JsonSerializer.SerializeToElement(text), null);

    public static FunctionResult Of(bool value) => new(JsonSerializer.SerializeToElement(value), null);

    public static FunctionResult Of(long value) => new(JsonSerializer.SerializeToElement(value), null);

    public static FunctionResult Of(JsonNode? node) => new(node is null ? Null : JsonSerializer.SerializeToElement(node), null);

    public static FunctionResult Fail(string error) => new(default, error);

    public static readonly JsonElement Null = JsonSerializer.SerializeToElement<object?>(null);
}

/// <summary>
/// The ARM template functions Azure Policy allows in a rule, over values: the same code folds a call
/// whose arguments are all known when a pack is compiled (parameters and literals) and computes it per
/// resource when an argument reads the resource (<c>field()</c>). Semantics follow the ARM template
/// function reference (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions)
/// as Azure Policy evaluates it; <c>equals</c>, <c>contains</c> and the ordering functions use the
/// condition operators' own comparison (<see cref="ValueComparer"/>: Unicode case folding), as
/// Microsoft's Azure Policy engine does (microsoft/regorus,
/// <c>src/languages/azure_policy/compiler/template_dispatch.rs</c>). A missing value is null.
/// </summary>
internal static class TemplateFunctions
{
    /// <summary>What <c>requestContext().apiVersion</c> is in a compliance scan: the latest API version, written so that it orders after every dated version.</summary>
    public const string LatestApiVersion = "9999-12-31";

    public static FunctionResult Equals(JsonElement[] a)
    {
        var truth = ValueComparer.AreEqual(a[0], a[1], out var error);
        return truth == Truth.Error ? FunctionResult.Fail($"equals(): {error}") : FunctionResult.Of(truth == Truth.True);
    }

    public static FunctionResult Not(JsonElement[] a) =>
        Bool(a[0], "not", out var b, out var error) ? FunctionResult.Of(!b) : FunctionResult.Fail(error!);

    public static FunctionResult And(JsonElement[] a) => Logic(a, "and", all: true);

    public static FunctionResult Or(JsonElement[] a) => Logic(a, "or", all: false);

    private static FunctionResult Logic(JsonElement[] a, string name, bool all)
    {
        foreach (var value in a)
        {
            if (!Bool(value, name, out var b, out var error))
            {
                return FunctionResult.Fail(error!);
            }

            if (b != all)
            {
                return FunctionResult.Of(!all);
            }
        }

        return FunctionResult.Of(all);
    }

    public static FunctionResult ToBool(JsonElement[] a)
    {
        if (a[0].ValueKind == JsonValueKind.Number)
        {
            return FunctionResult.Of(a[0].GetDouble() != 0);
        }

        return ValueComparer.TryAsBool(a[0], out var b) ? FunctionResult.Of(b) : FunctionResult.Fail($"bool() takes true, false, 'true', 'false' or a number, not {Describe.Value(a[0])}");
    }

    public static FunctionResult True(JsonElement[] a) => FunctionResult.Of(true);

    public static FunctionResult False(JsonElement[] a) => FunctionResult.Of(false);

    public static FunctionResult If(JsonElement[] a) =>
        Bool(a[0], "if", out var b, out var error) ? FunctionResult.Of(b ? a[1] : a[2]) : FunctionResult.Fail(error!);

    public static FunctionResult Greater(JsonElement[] a) => Order(a, "greater", c => c > 0);

    public static FunctionResult GreaterOrEquals(JsonElement[] a) => Order(a, "greaterOrEquals", c => c >= 0);

    public static FunctionResult Less(JsonElement[] a) => Order(a, "less", c => c < 0);

    public static FunctionResult LessOrEquals(JsonElement[] a) => Order(a, "lessOrEquals", c => c <= 0);

    private static FunctionResult Order(JsonElement[] a, string name, Func<int, bool> holds)
    {
        if (PathResolver.IsMissing(a[0]) || PathResolver.IsMissing(a[1]))
        {
            return FunctionResult.Fail($"{name}() cannot order a missing value");
        }

        return ValueComparer.TryCompare(a[0], a[1], out var comparison, out var error)
            ? FunctionResult.Of(holds(comparison))
            : FunctionResult.Fail($"{name}(): {error}");
    }

    public static FunctionResult Contains(JsonElement[] a)
    {
        var container = a[0];
        var item = a[1];
        switch (container.ValueKind)
        {
            case JsonValueKind.String when ValueComparer.TryAsText(item, out var part):
                return FunctionResult.Of(CaseFold.Contains(container.GetString()!, part));
            case JsonValueKind.Array:
                foreach (var element in container.EnumerateArray())
                {
                    if (ValueComparer.AreEqual(element, item, out _) == Truth.True)
                    {
                        return FunctionResult.Of(true);
                    }
                }

                return FunctionResult.Of(false);
            case JsonValueKind.Object when ValueComparer.TryAsText(item, out var key):
                return FunctionResult.Of(container.EnumerateObject().Any(p => CaseFold.AreEqual(p.Name, key)));
            default:
                return FunctionResult.Fail($"contains() looks in a string, an array or an object, not {Describe.Value(container)}");
        }
    }

    public static FunctionResult Empty(JsonElement[] a) => FunctionResult.Of(a[0].ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => true,
        JsonValueKind.String => a[0].GetString()!.Length == 0,
        JsonValueKind.Array => a[0].GetArrayLength() == 0,
        JsonValueKind.Object => !a[0].EnumerateObject().Any(),
        _ => false,
    });

    public static FunctionResult Length(JsonElement[] a) => a[0].ValueKind switch
    {
        JsonValueKind.String => FunctionResult.Of(new StringInfo(a[0].GetString()!).LengthInTextElements),
        JsonValueKind.Array => FunctionResult.Of(a[0].GetArrayLength()),
        JsonValueKind.Object => FunctionResult.Of(a[0].EnumerateObject().Count()),
        _ => FunctionResult.Fail($"length() takes a string, an array or an object, not {Describe.Value(a[0])}"),
    };

    public static FunctionResult First(JsonElement[] a) => a[0].ValueKind switch
    {
        JsonValueKind.Array => FunctionResult.Of(a[0].GetArrayLength() == 0 ? FunctionResult.Null : a[0][0]),
        JsonValueKind.String => FunctionResult.Of(a[0].GetString()!.Length == 0 ? string.Empty : a[0].GetString()![..1]),
        _ => FunctionResult.Fail($"first() takes an array or a string, not {Describe.Value(a[0])}"),
    };

    public static FunctionResult Last(JsonElement[] a) => a[0].ValueKind switch
    {
        JsonValueKind.Array => FunctionResult.Of(a[0].GetArrayLength() == 0 ? FunctionResult.Null : a[0][a[0].GetArrayLength() - 1]),
        JsonValueKind.String => FunctionResult.Of(a[0].GetString()!.Length == 0 ? string.Empty : a[0].GetString()![^1..]),
        _ => FunctionResult.Fail($"last() takes an array or a string, not {Describe.Value(a[0])}"),
    };

    /// <summary>Arrays are joined; anything else is joined as text, a missing value as nothing.</summary>
    public static FunctionResult Concat(JsonElement[] a)
    {
        if (a.Length > 0 && a.All(v => v.ValueKind is JsonValueKind.Array or JsonValueKind.Null or JsonValueKind.Undefined) && a.Any(v => v.ValueKind == JsonValueKind.Array))
        {
            var array = new JsonArray();
            foreach (var value in a.Where(v => v.ValueKind == JsonValueKind.Array))
            {
                foreach (var element in value.EnumerateArray())
                {
                    array.Add(JsonSerializer.SerializeToNode(element));
                }
            }

            return FunctionResult.Of(array);
        }

        var sb = new StringBuilder();
        foreach (var value in a)
        {
            if (PathResolver.IsMissing(value))
            {
                continue;
            }

            if (!ValueComparer.TryAsText(value, out var text))
            {
                return FunctionResult.Fail($"concat() joins strings or arrays, not {Describe.Value(value)}");
            }

            sb.Append(text);
        }

        return FunctionResult.Of(sb.ToString());
    }

    public static FunctionResult ToLower(JsonElement[] a) =>
        Text(a[0], "toLower", out var s, out var e) ? FunctionResult.Of(s.ToLowerInvariant()) : FunctionResult.Fail(e!);

    public static FunctionResult ToUpper(JsonElement[] a) =>
        Text(a[0], "toUpper", out var s, out var e) ? FunctionResult.Of(s.ToUpperInvariant()) : FunctionResult.Fail(e!);

    public static FunctionResult Trim(JsonElement[] a) =>
        Text(a[0], "trim", out var s, out var e) ? FunctionResult.Of(s.Trim()) : FunctionResult.Fail(e!);

    /// <summary>replace() is ordinal, as ARM's: the text to replace matches in its exact case.</summary>
    public static FunctionResult Replace(JsonElement[] a)
    {
        if (!Text(a[0], "replace", out var s, out var e) || !Text(a[1], "replace", out var old, out e) || !Text(a[2], "replace", out var with, out e))
        {
            return FunctionResult.Fail(e!);
        }

        return FunctionResult.Of(old.Length == 0 ? s : s.Replace(old, with, StringComparison.Ordinal));
    }

    public static FunctionResult Split(JsonElement[] a)
    {
        if (!Text(a[0], "split", out var s, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        string[] delimiters;
        if (a[1].ValueKind == JsonValueKind.Array)
        {
            delimiters = [.. a[1].EnumerateArray().Where(d => d.ValueKind == JsonValueKind.String).Select(d => d.GetString()!).Where(d => d.Length > 0)];
        }
        else if (a[1].ValueKind == JsonValueKind.String)
        {
            delimiters = a[1].GetString()!.Length == 0 ? [] : [a[1].GetString()!];
        }
        else
        {
            return FunctionResult.Fail($"split() takes a delimiter string or an array of them, not {Describe.Value(a[1])}");
        }

        var parts = delimiters.Length == 0 ? [s] : s.Split(delimiters, StringSplitOptions.None);
        return FunctionResult.Of(new JsonArray([.. parts.Select(p => (JsonNode?)JsonValue.Create(p))]));
    }

    public static FunctionResult Substring(JsonElement[] a)
    {
        if (!Text(a[0], "substring", out var s, out var e) || !Whole(a[1], "substring", out var start, out e))
        {
            return FunctionResult.Fail(e!);
        }

        long length = s.Length - start;
        if (a.Length > 2 && !Whole(a[2], "substring", out length, out e))
        {
            return FunctionResult.Fail(e!);
        }

        if (start < 0 || length < 0 || start + length > s.Length)
        {
            return FunctionResult.Fail($"substring(): start {start} and length {length} do not lie within '{Describe.Trim(s)}' ({s.Length} characters)");
        }

        return FunctionResult.Of(s.Substring((int)start, (int)length));
    }

    public static FunctionResult StartsWith(JsonElement[] a) => Affix(a, "startsWith", (s, p) => CaseFold.Fold(s).StartsWith(CaseFold.Fold(p), StringComparison.Ordinal));

    public static FunctionResult EndsWith(JsonElement[] a) => Affix(a, "endsWith", (s, p) => CaseFold.Fold(s).EndsWith(CaseFold.Fold(p), StringComparison.Ordinal));

    public static FunctionResult IndexOf(JsonElement[] a) => Search(a, "indexOf", (s, p) => s.IndexOf(p, StringComparison.Ordinal));

    public static FunctionResult LastIndexOf(JsonElement[] a) => Search(a, "lastIndexOf", (s, p) => p.Length == 0 ? s.Length : s.LastIndexOf(p, StringComparison.Ordinal));

    private static FunctionResult Affix(JsonElement[] a, string name, Func<string, string, bool> test) =>
        Text(a[0], name, out var s, out var e) && Text(a[1], name, out var p, out e) ? FunctionResult.Of(test(s, p)) : FunctionResult.Fail(e!);

    /// <summary>indexOf/lastIndexOf ignore case (ARM's reference says so); the index is counted in the folded text, which equals the original for all but a few letters.</summary>
    private static FunctionResult Search(JsonElement[] a, string name, Func<string, string, int> find) =>
        Text(a[0], name, out var s, out var e) && Text(a[1], name, out var p, out e) ? FunctionResult.Of(find(CaseFold.Fold(s), CaseFold.Fold(p))) : FunctionResult.Fail(e!);

    public static FunctionResult PadLeft(JsonElement[] a)
    {
        if (!ValueComparer.TryAsText(a[0], out var s))
        {
            return FunctionResult.Fail($"padLeft() pads a string or a number, not {Describe.Value(a[0])}");
        }

        if (!Whole(a[1], "padLeft", out var total, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        var pad = ' ';
        if (a.Length > 2)
        {
            if (a[2].ValueKind != JsonValueKind.String || a[2].GetString()!.Length != 1)
            {
                return FunctionResult.Fail($"padLeft() pads with one character, not {Describe.Value(a[2])}");
            }

            pad = a[2].GetString()![0];
        }

        return FunctionResult.Of(s.PadLeft((int)Math.Clamp(total, 0, 4096), pad));
    }

    public static FunctionResult Int(JsonElement[] a)
    {
        if (a[0].ValueKind == JsonValueKind.Number)
        {
            return FunctionResult.Of((long)Math.Truncate(a[0].GetDouble()));
        }

        return a[0].ValueKind == JsonValueKind.String && long.TryParse(a[0].GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? FunctionResult.Of(n)
            : FunctionResult.Fail($"int() takes a whole number or its text, not {Describe.Value(a[0])}");
    }

    public static FunctionResult ToStringValue(JsonElement[] a) => a[0].ValueKind switch
    {
        JsonValueKind.String => FunctionResult.Of(a[0]),
        JsonValueKind.Undefined or JsonValueKind.Null => FunctionResult.Of(string.Empty),
        JsonValueKind.True => FunctionResult.Of("True"),
        JsonValueKind.False => FunctionResult.Of("False"),
        _ => FunctionResult.Of(a[0].GetRawText()),
    };

    public static FunctionResult Json(JsonElement[] a)
    {
        if (!Text(a[0], "json", out var s, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        try
        {
            using var document = JsonDocument.Parse(s);
            return FunctionResult.Of(document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            return FunctionResult.Fail($"json(): '{Describe.Trim(s)}' is not JSON ({ex.Message})");
        }
    }

    /// <summary>base64(text): the UTF-8 bytes of the text in base64, as ARM's.</summary>
    public static FunctionResult Base64(JsonElement[] a) =>
        Text(a[0], "base64", out var s, out var e) ? FunctionResult.Of(System.Convert.ToBase64String(Encoding.UTF8.GetBytes(s))) : FunctionResult.Fail(e!);

    public static FunctionResult Base64ToString(JsonElement[] a)
    {
        if (!Text(a[0], "base64ToString", out var s, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        try
        {
            return FunctionResult.Of(Encoding.UTF8.GetString(System.Convert.FromBase64String(s)));
        }
        catch (FormatException)
        {
            return FunctionResult.Fail($"base64ToString(): '{Describe.Trim(s)}' is not base64");
        }
    }

    public static FunctionResult CreateArray(JsonElement[] a) =>
        FunctionResult.Of(new JsonArray([.. a.Select(v => PathResolver.IsMissing(v) ? null : JsonSerializer.SerializeToNode(v))]));

    public static FunctionResult ToArray(JsonElement[] a) =>
        a[0].ValueKind == JsonValueKind.Array ? FunctionResult.Of(a[0]) : CreateArray(a);

    public static FunctionResult CreateObject(JsonElement[] a)
    {
        if (a.Length % 2 != 0)
        {
            return FunctionResult.Fail("createObject() takes names and values in pairs");
        }

        var obj = new JsonObject();
        for (var i = 0; i < a.Length; i += 2)
        {
            if (a[i].ValueKind != JsonValueKind.String)
            {
                return FunctionResult.Fail($"createObject(): a property name is a string, not {Describe.Value(a[i])}");
            }

            obj[a[i].GetString()!] = PathResolver.IsMissing(a[i + 1]) ? null : JsonSerializer.SerializeToNode(a[i + 1]);
        }

        return FunctionResult.Of(obj);
    }

    public static FunctionResult Coalesce(JsonElement[] a)
    {
        foreach (var value in a)
        {
            if (!PathResolver.IsMissing(value))
            {
                return FunctionResult.Of(value);
            }
        }

        return FunctionResult.Of(FunctionResult.Null);
    }

    public static FunctionResult Union(JsonElement[] a) => SetOperation(a, "union", intersect: false);

    public static FunctionResult Intersection(JsonElement[] a) => SetOperation(a, "intersection", intersect: true);

    private static FunctionResult SetOperation(JsonElement[] a, string name, bool intersect)
    {
        if (a.All(v => v.ValueKind == JsonValueKind.Array))
        {
            var result = new List<JsonElement>();
            foreach (var element in intersect ? a[0].EnumerateArray() : a.SelectMany(v => v.EnumerateArray()))
            {
                var inAll = !intersect || a.Skip(1).All(other => other.EnumerateArray().Any(o => ValueComparer.DeepEquals(o, element)));
                if (inAll && !result.Any(r => ValueComparer.DeepEquals(r, element)))
                {
                    result.Add(element);
                }
            }

            return FunctionResult.Of(JsonSerializer.SerializeToElement(result));
        }

        if (a.All(v => v.ValueKind == JsonValueKind.Object))
        {
            var obj = new JsonObject();
            foreach (var property in intersect ? a[0].EnumerateObject() : a.SelectMany(v => v.EnumerateObject()))
            {
                var inAll = !intersect || a.Skip(1).All(other => other.TryGetProperty(property.Name, out var o) && ValueComparer.DeepEquals(o, property.Value));
                if (inAll)
                {
                    obj[property.Name] = JsonSerializer.SerializeToNode(property.Value);
                }
            }

            return FunctionResult.Of(obj);
        }

        return FunctionResult.Fail($"{name}() takes arrays or objects, all of one kind");
    }

    public static FunctionResult Take(JsonElement[] a) => Slice(a, "take", take: true);

    public static FunctionResult Skip(JsonElement[] a) => Slice(a, "skip", take: false);

    private static FunctionResult Slice(JsonElement[] a, string name, bool take)
    {
        if (!Whole(a[1], name, out var n, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        switch (a[0].ValueKind)
        {
            case JsonValueKind.Array:
                var items = a[0].EnumerateArray().ToList();
                var count = (int)Math.Clamp(n, 0, items.Count);
                return FunctionResult.Of(JsonSerializer.SerializeToElement(take ? items[..count] : items[count..]));
            case JsonValueKind.String:
                var s = a[0].GetString()!;
                var length = (int)Math.Clamp(n, 0, s.Length);
                return FunctionResult.Of(take ? s[..length] : s[length..]);
            default:
                return FunctionResult.Fail($"{name}() takes an array or a string, not {Describe.Value(a[0])}");
        }
    }

    public static FunctionResult TryGet(JsonElement[] a)
    {
        switch (a[0].ValueKind)
        {
            case JsonValueKind.Object when a[1].ValueKind == JsonValueKind.String:
                return FunctionResult.Of(PathResolver.TryGetProperty(a[0], a[1].GetString()!, out var value) ? value : FunctionResult.Null);
            case JsonValueKind.Array when a[1].ValueKind == JsonValueKind.Number && a[1].TryGetInt32(out var i):
                return FunctionResult.Of(i >= 0 && i < a[0].GetArrayLength() ? a[0][i] : FunctionResult.Null);
            default:
                return FunctionResult.Of(FunctionResult.Null);
        }
    }

    public static FunctionResult Join(JsonElement[] a)
    {
        if (a[0].ValueKind != JsonValueKind.Array || !Text(a[1], "join", out var delimiter, out var e))
        {
            return FunctionResult.Fail($"join() takes an array and a delimiter, not {Describe.Value(a[0])}");
        }

        var parts = new List<string>();
        foreach (var element in a[0].EnumerateArray())
        {
            if (!ValueComparer.TryAsText(element, out var text))
            {
                return FunctionResult.Fail($"join() joins strings and numbers, not {Describe.Value(element)}");
            }

            parts.Add(text);
        }

        return FunctionResult.Of(string.Join(delimiter, parts));
    }

    /// <summary>format() with .NET composite placeholders ({0}, {1:D2}), as ARM's does.</summary>
    public static FunctionResult Format(JsonElement[] a)
    {
        if (!Text(a[0], "format", out var pattern, out var e))
        {
            return FunctionResult.Fail(e!);
        }

        var arguments = a.Skip(1).Select(v => v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var l) => (object)l,
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
            _ => v.GetRawText(),
        }).ToArray();
        try
        {
            return FunctionResult.Of(string.Format(CultureInfo.InvariantCulture, pattern, arguments));
        }
        catch (FormatException ex)
        {
            return FunctionResult.Fail($"format(): {ex.Message}");
        }
    }

    public static FunctionResult Add(JsonElement[] a) => Arithmetic(a, "add", (x, y) => x + y);

    public static FunctionResult Sub(JsonElement[] a) => Arithmetic(a, "sub", (x, y) => x - y);

    public static FunctionResult Mul(JsonElement[] a) => Arithmetic(a, "mul", (x, y) => x * y);

    public static FunctionResult Div(JsonElement[] a) => a.Length == 2 && a[1].ValueKind == JsonValueKind.Number && a[1].GetDouble() == 0
        ? FunctionResult.Fail("div() by zero")
        : Arithmetic(a, "div", (x, y) => x / y);

    public static FunctionResult Mod(JsonElement[] a) => a.Length == 2 && a[1].ValueKind == JsonValueKind.Number && a[1].GetDouble() == 0
        ? FunctionResult.Fail("mod() by zero")
        : Arithmetic(a, "mod", (x, y) => x % y);

    private static FunctionResult Arithmetic(JsonElement[] a, string name, Func<long, long, long> op) =>
        Whole(a[0], name, out var x, out var e) && Whole(a[1], name, out var y, out e) ? FunctionResult.Of(op(x, y)) : FunctionResult.Fail(e!);

    public static FunctionResult Min(JsonElement[] a) => Extreme(a, "min", (x, y) => Math.Min(x, y));

    public static FunctionResult Max(JsonElement[] a) => Extreme(a, "max", (x, y) => Math.Max(x, y));

    private static FunctionResult Extreme(JsonElement[] a, string name, Func<long, long, long> pick)
    {
        var values = a.Length == 1 && a[0].ValueKind == JsonValueKind.Array ? [.. a[0].EnumerateArray()] : a;
        if (values.Length == 0)
        {
            return FunctionResult.Fail($"{name}() needs at least one number");
        }

        long? result = null;
        foreach (var value in values)
        {
            if (!Whole(value, name, out var n, out var e))
            {
                return FunctionResult.Fail(e!);
            }

            result = result is { } r ? pick(r, n) : n;
        }

        return FunctionResult.Of(result!.Value);
    }

    /// <summary>ipRangeContains(range, address): whether a CIDR range holds an address or a smaller range, as Azure Policy's function.</summary>
    public static FunctionResult IpRangeContains(JsonElement[] a)
    {
        if (!Text(a[0], "ipRangeContains", out var range, out var e) || !Text(a[1], "ipRangeContains", out var target, out e))
        {
            return FunctionResult.Fail(e!);
        }

        if (!IPNetwork.TryParse(range, out var network))
        {
            return FunctionResult.Fail($"ipRangeContains(): '{Describe.Trim(range)}' is not a CIDR range");
        }

        if (IPAddress.TryParse(target, out var address) && !target.Contains('/', StringComparison.Ordinal))
        {
            return FunctionResult.Of(address.AddressFamily == network.BaseAddress.AddressFamily && network.Contains(address));
        }

        if (IPNetwork.TryParse(target, out var inner))
        {
            return FunctionResult.Of(inner.BaseAddress.AddressFamily == network.BaseAddress.AddressFamily && inner.PrefixLength >= network.PrefixLength && network.Contains(inner.BaseAddress));
        }

        return FunctionResult.Fail($"ipRangeContains(): '{Describe.Trim(target)}' is not an IP address or a CIDR range");
    }

    /// <summary>A property of an object (names in any case) or an element of an array, as <c>x.name</c> and <c>x[i]</c>.</summary>
    public static FunctionResult Access(JsonElement target, JsonElement key, string written)
    {
        switch (target.ValueKind)
        {
            case JsonValueKind.Object when key.ValueKind == JsonValueKind.String:
                return PathResolver.TryGetProperty(target, key.GetString()!, out var value)
                    ? FunctionResult.Of(value)
                    : FunctionResult.Fail($"{written}: the object has no property '{key.GetString()}'");
            case JsonValueKind.Array when key.ValueKind == JsonValueKind.Number && key.TryGetInt32(out var i):
                return i >= 0 && i < target.GetArrayLength()
                    ? FunctionResult.Of(target[i])
                    : FunctionResult.Fail($"{written}: index {i} is outside the array of {target.GetArrayLength()} element(s)");
            default:
                return FunctionResult.Fail($"{written}: cannot take {Describe.Value(key)} of {Describe.Value(target)}");
        }
    }

    private static bool Bool(JsonElement value, string name, out bool result, out string? error)
    {
        error = null;
        if (ValueComparer.TryAsBool(value, out result))
        {
            return true;
        }

        error = $"{name}() takes a boolean, not {Describe.Value(value)}";
        return false;
    }

    private static bool Text(JsonElement value, string name, out string text, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            text = value.GetString()!;
            return true;
        }

        text = string.Empty;
        error = $"{name}() takes a string, not {Describe.Value(value)}";
        return false;
    }

    private static bool Whole(JsonElement value, string name, out long number, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number))
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number))
        {
            return true;
        }

        number = 0;
        error = $"{name}() takes a whole number, not {Describe.Value(value)}";
        return false;
    }
}
