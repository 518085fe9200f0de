using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Unicode;
using NJsonSchema;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// Reads a document that fits a <see cref="SchemaShape"/> straight from its UTF-8 bytes into plain
/// values (<see cref="JsonFields"/> with the line of each opening brace, lists, strings, booleans),
/// for the common case of a valid file: no token tree, no line information but the braces'. It
/// declines (null) at the first thing it is not sure the full reader and schema check would accept
/// without a word: invalid UTF-8, JSON that is not strict, a duplicate property name, anything after
/// the document but whitespace (a trailing comment too), a value of another type than its schema's,
/// a missing required or unknown property, a string too short or not matching its pattern.
/// Comments inside the document are skipped. Lines are counted as Newtonsoft counts them
/// (LF, CR LF and a lone CR each end one).
/// </summary>
internal static class ShapedJsonReader
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private static readonly object True = true;
    private static readonly object False = false;

    // The value kept for a property an open object allows without a schema of its own.
    private static readonly object Skipped = new();

    /// <summary>The document's values, or null when it does not certainly fit.</summary>
    public static object? Read(ReadOnlySpan<byte> content, SchemaShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var bytes = content.StartsWith(Bom) ? content[Bom.Length..] : content;
        if (!Utf8.IsValid(bytes))
        {
            return null;
        }

        try
        {
            var walker = new Walker(bytes);
            return walker.Document(shape);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string that is no valid UTF-16 once unescaped (a lone surrogate such as "\uD800").
            return null;
        }
    }

    // Its loops run once per process over tens of thousands of items: compiled optimised at once
    // (AggressiveOptimization) rather than first as unoptimised tier-0 code.
    private ref struct Walker(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private Utf8JsonReader _reader = new(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        private int _counted;
        private int _line = 1;

        public object? Document(SchemaShape shape)
        {
            if (!_reader.Read() || Value(shape) is not { } document)
            {
                return null;
            }

            // Newtonsoft stops after the first token past the document; only whitespace is certain to be read alike.
            return _bytes[(int)_reader.BytesConsumed..].TrimStart(" \t\r\n"u8).IsEmpty ? document : null;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private object? Value(SchemaShape shape)
        {
            switch (shape.Kind)
            {
                case JsonObjectType.String:
                    if (_reader.TokenType != JsonTokenType.String)
                    {
                        return null;
                    }

                    var text = _reader.GetString()!;
                    return text.Length >= shape.MinLength && shape.Pattern?.IsMatch(text) != false ? text : null;
                case JsonObjectType.Boolean:
                    return _reader.TokenType switch
                    {
                        JsonTokenType.True => True,
                        JsonTokenType.False => False,
                        _ => null,
                    };
                case JsonObjectType.Array:
                    return _reader.TokenType == JsonTokenType.StartArray ? Array(shape.Items!) : null;
                case JsonObjectType.Object:
                    return _reader.TokenType == JsonTokenType.StartObject ? Object(shape) : null;
                default:
                    return null;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private List<object>? Array(SchemaShape items)
        {
            var list = new List<object>();
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
            {
                if (Value(items) is not { } item)
                {
                    return null;
                }

                list.Add(item);
            }

            return list;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private JsonFields? Object(SchemaShape shape)
        {
            var fields = new JsonFields(LineAt((int)_reader.TokenStartIndex));
            while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
            {
                // Known names are matched on their bytes: no string per property.
                if (_reader.ValueIsEscaped || !shape.TryGetProperty(_reader.ValueSpan, out var name, out var property))
                {
                    name = _reader.GetString()!;
                    property = shape.Properties.GetValueOrDefault(name);
                }

                _reader.Read();
                object? value;
                if (property is not null)
                {
                    value = Value(property);
                }
                else if (shape.AdditionalProperties)
                {
                    // Any value: kept only so that a second property of the same name is seen.
                    _reader.Skip();
                    value = Skipped;
                }
                else
                {
                    return null;
                }

                if (value is null || !fields.TryAdd(name, value))
                {
                    return null;
                }
            }

            foreach (var required in shape.Required)
            {
                if (!fields.Has(required))
                {
                    return null;
                }
            }

            return fields;
        }

        /// <summary>The 1-based line of a byte; positions are asked in increasing order, so each byte is counted once.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int LineAt(int index)
        {
            var span = _bytes[_counted..index];
            _line += span.Count((byte)'\n') + span.Count((byte)'\r') - span.Count("\r\n"u8);
            _counted = index;
            return _line;
        }
    }
}
