using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Compliance.Core.Conditions;

/// <summary>
/// Reads paths out of resource JSON with Azure Policy's rules: property names match
/// case-insensitively, JSON null counts as missing, and a path through a missing value is missing.
/// </summary>
internal static class PathResolver
{
    public static bool IsMissing(JsonElement value) =>
        value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value) =>
        TryGetProperty(obj, name, System.Text.Encoding.UTF8.GetBytes(name), out value);

    /// <summary>
    /// A property by name, matched case-insensitively as Azure Policy does. The exact spelling is tried
    /// first (the common case); then names are compared as raw UTF-8 without allocating.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static bool TryGetProperty(JsonElement obj, string name, ReadOnlySpan<byte> utf8Name, out JsonElement value)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }

        if (obj.TryGetProperty(utf8Name, out value))
        {
            return true;
        }

        foreach (var property in obj.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var equal = raw.IndexOf((byte)'\\') < 0 && Ascii.IsValid(raw) && Ascii.IsValid(utf8Name)
                ? Ascii.EqualsIgnoreCase(raw, utf8Name)
                : property.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
            if (equal)
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Resolves a path without <c>[*]</c>. Returns a default (undefined) element when missing.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static JsonElement ResolveSingle(JsonElement root, ReadOnlySpan<PathSegment> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            switch (segment.Kind)
            {
                case PathSegmentKind.Property:
                    if (!TryGetProperty(current, segment.Name!, segment.Utf8Name, out current))
                    {
                        return default;
                    }

                    break;
                case PathSegmentKind.Index:
                    if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength())
                    {
                        return default;
                    }

                    current = current[segment.Index];
                    break;
                default:
                    throw new InvalidOperationException("ResolveSingle was given a path with [*].");
            }
        }

        return current.ValueKind == JsonValueKind.Null ? default : current;
    }

    /// <summary>
    /// Resolves a path that may contain <c>[*]</c>: every value it reaches is added to <paramref name="results"/>.
    /// An empty array adds nothing. A <c>[*]</c> over a missing or null value adds nothing and sets
    /// <paramref name="notIterable"/> (what was missing); over a value that exists but is not an array it
    /// sets <paramref name="error"/> (the data does not have the shape the rule expects). A field
    /// condition is false in both cases; a count counts nothing for the first and errs on the second.
    /// </summary>
    public static void ResolveMany(
        JsonElement root,
        ReadOnlySpan<PathSegment> segments,
        string? basePath,
        bool withPaths,
        List<ResolvedValue> results,
        ref string? error,
        ref string? notIterable)
    {
        var sb = withPaths ? new StringBuilder(basePath) : null;
        Walk(root, segments, sb, results, ref error, ref notIterable);
    }

    private const string Missing = "missing";

    private static void Walk(JsonElement current, ReadOnlySpan<PathSegment> segments, StringBuilder? path, List<ResolvedValue> results, ref string? error, ref string? notIterable)
    {
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            switch (segment.Kind)
            {
                case PathSegmentKind.Property:
                    if (path is not null)
                    {
                        FieldPath.AppendSegment(path, segment);
                    }

                    if (!TryGetProperty(current, segment.Name!, segment.Utf8Name, out current))
                    {
                        AddMissing(segments[(i + 1)..], path, results, ref notIterable);
                        return;
                    }

                    break;
                case PathSegmentKind.Index:
                    if (path is not null)
                    {
                        FieldPath.AppendSegment(path, segment);
                    }

                    if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength())
                    {
                        AddMissing(segments[(i + 1)..], path, results, ref notIterable);
                        return;
                    }

                    current = current[segment.Index];
                    break;
                default:
                    if (IsMissing(current))
                    {
                        notIterable ??= path is null ? Missing : $"{path} is missing";
                        return;
                    }

                    if (current.ValueKind != JsonValueKind.Array)
                    {
                        error ??= $"{path?.ToString() ?? "the value"} is {Describe.Kind(current)}, not an array";
                        return;
                    }

                    var rest = segments[(i + 1)..];
                    var index = 0;
                    var length = path?.Length ?? 0;
                    foreach (var element in current.EnumerateArray())
                    {
                        if (path is not null)
                        {
                            path.Length = length;
                            path.Append('[').Append(index).Append(']');
                        }

                        Walk(element, rest, path, results, ref error, ref notIterable);
                        index++;
                    }

                    if (path is not null)
                    {
                        path.Length = length;
                    }

                    return;
            }
        }

        results.Add(new ResolvedValue(current.ValueKind == JsonValueKind.Null ? default : current, path?.ToString()));
    }

    /// <summary>
    /// A missing value before a later <c>[*]</c> leaves that <c>[*]</c> nothing to iterate (no elements,
    /// and <paramref name="notIterable"/> says what is missing); a missing value at the end of the path
    /// is one missing value (an element without that property).
    /// </summary>
    private static void AddMissing(ReadOnlySpan<PathSegment> rest, StringBuilder? path, List<ResolvedValue> results, ref string? notIterable)
    {
        foreach (var segment in rest)
        {
            if (segment.Kind == PathSegmentKind.Wildcard)
            {
                notIterable ??= path is null ? Missing : $"{path} is missing";
                return;
            }
        }

        if (path is not null)
        {
            foreach (var segment in rest)
            {
                FieldPath.AppendSegment(path, segment);
            }
        }

        results.Add(new ResolvedValue(default, path?.ToString()));
    }
}
