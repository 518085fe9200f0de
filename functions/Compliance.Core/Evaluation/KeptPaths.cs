using System.Buffers;
using System.Text.Json;
using Compliance.Core.Conditions;

namespace Compliance.Core.Evaluation;

/// <summary>
/// The parts of a resource that the rules can read, as a tree of property names. A resource kept in
/// memory (a related candidate, or a resource whose rule waits for the whole snapshot) is reduced to
/// these parts, which is what keeps a scan's memory flat as the tenant grows. Names match
/// case-insensitively, as field paths do; an array on a path is kept whole.
/// </summary>
internal sealed class KeptPaths
{
    private readonly Dictionary<string, KeptPaths> _children = new(StringComparer.OrdinalIgnoreCase);

    private bool _keepAll;

    public static KeptPaths From(IEnumerable<FieldPath> paths)
    {
        var root = new KeptPaths();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path.Segments)
            {
                if (node._keepAll)
                {
                    break;
                }

                if (segment.Kind != PathSegmentKind.Property)
                {
                    // Arrays are kept whole: elements are addressed by position or [*].
                    node._keepAll = true;
                    break;
                }

                if (!node._children.TryGetValue(segment.Name!, out var child))
                {
                    node._children[segment.Name!] = child = new KeptPaths();
                }

                node = child;
            }

            node._keepAll = true;
            node._children.Clear();
        }

        return root;
    }

    /// <summary>
    /// The kept parts of <paramref name="root"/> as UTF-8 JSON, or null when the rules read nothing of
    /// it (its id, name and type are kept apart).
    /// </summary>
    public byte[]? Reduce(JsonElement root)
    {
        if (!_keepAll && _children.Count == 0)
        {
            return null;
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root, this);
        }

        return buffer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    private static void Write(Utf8JsonWriter writer, JsonElement value, KeptPaths node)
    {
        if (node._keepAll || value.ValueKind != JsonValueKind.Object)
        {
            value.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in value.EnumerateObject())
        {
            if (node._children.TryGetValue(property.Name, out var child))
            {
                writer.WritePropertyName(property.Name);
                Write(writer, property.Value, child);
            }
        }

        writer.WriteEndObject();
    }
}
