using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Compliance.Reporting.Suppressions;

/// <summary>
/// The part of a loaded JSON schema that <see cref="ShapedJsonReader"/> enforces while it reads:
/// one type per value (object, array, string or boolean), an object's properties, <c>required</c>
/// and <c>additionalProperties</c> (true or false), an array's <c>items</c>, a string's
/// <c>minLength</c> and <c>pattern</c>. Taken from the schema NJsonSchema loaded, so the schema file
/// stays the one home of these rules; a schema that uses anything else has no shape (null), and
/// then only the full validation may judge a document.
/// </summary>
internal sealed class SchemaShape
{
    // Keywords NJsonSchema keeps aside (ExtensionData) that only annotate: they never make a document invalid.
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$id", "$comment", "examples", "readOnly", "writeOnly", "deprecated" };

    private readonly Dictionary<string, SchemaShape> _properties = new(StringComparer.Ordinal);
    private readonly List<(byte[] Utf8, string Name, SchemaShape Shape)> _utf8Names = [];
    private readonly HashSet<string> _required = new(StringComparer.Ordinal);

    private SchemaShape(JsonObjectType kind) => Kind = kind;

    /// <summary><see cref="JsonObjectType.Object"/>, <see cref="JsonObjectType.Array"/>, <see cref="JsonObjectType.String"/> or <see cref="JsonObjectType.Boolean"/>.</summary>
    public JsonObjectType Kind { get; }

    public IReadOnlyDictionary<string, SchemaShape> Properties => _properties;

    public IReadOnlySet<string> Required => _required;

    /// <summary>A property by its name as UTF-8 bytes (unescaped), without making a string of it.</summary>
    /// <remarks>Asked for every property of a file: compiled optimised at once rather than first as tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetProperty(ReadOnlySpan<byte> utf8Name, out string name, out SchemaShape? shape)
    {
        foreach (var property in _utf8Names)
        {
            if (utf8Name.SequenceEqual(property.Utf8))
            {
                (name, shape) = (property.Name, property.Shape);
                return true;
            }
        }

        (name, shape) = (string.Empty, null);
        return false;
    }

    /// <summary>Whether an object may have properties other than <see cref="Properties"/> (of any value).</summary>
    public bool AdditionalProperties { get; private set; }

    /// <summary>The shape of every item of an array.</summary>
    public SchemaShape? Items { get; private set; }

    /// <summary>The least length of a string, in UTF-16 code units as NJsonSchema counts it.</summary>
    public int MinLength { get; private set; }

    /// <summary>A pattern a string must match, with the options NJsonSchema matches it with (none).</summary>
    public Regex? Pattern { get; private set; }

    /// <summary>The shape of the schema, or null when it uses a keyword the shape cannot express.</summary>
    public static SchemaShape? From(JsonSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return Compile(schema.ActualSchema, new Dictionary<JsonSchema, SchemaShape>());
    }

    private static SchemaShape? Compile(JsonSchema schema, Dictionary<JsonSchema, SchemaShape> done)
    {
        if (done.TryGetValue(schema, out var known))
        {
            return known;
        }

        if (!Expressible(schema))
        {
            return null;
        }

        var shape = new SchemaShape(schema.Type);
        done[schema] = shape;
        switch (schema.Type)
        {
            case JsonObjectType.Object:
                shape.AdditionalProperties = schema.AllowAdditionalProperties;
                foreach (var (name, property) in schema.Properties)
                {
                    if (Compile(property.ActualSchema, done) is not { } propertyShape)
                    {
                        return null;
                    }

                    shape._properties[name] = propertyShape;
                    shape._utf8Names.Add((System.Text.Encoding.UTF8.GetBytes(name), name, propertyShape));
                    if (property.IsRequired)
                    {
                        shape._required.Add(name);
                    }
                }

                shape._required.UnionWith(schema.RequiredProperties);
                return shape;
            case JsonObjectType.Array:
                shape.Items = schema.Item is null ? null : Compile(schema.Item.ActualSchema, done);
                return shape.Items is null ? null : shape;
            case JsonObjectType.String:
                shape.MinLength = schema.MinLength ?? 0;
                if (!string.IsNullOrEmpty(schema.Pattern))
                {
                    try
                    {
                        shape.Pattern = new Regex(schema.Pattern);
                    }
                    catch (ArgumentException)
                    {
                        // Not a .NET pattern: the full validation says what becomes of it.
                        return null;
                    }
                }

                return shape;
            default:
                return shape;
        }
    }

    /// <summary>
    /// Whether every keyword the schema uses is one the shape holds. The list follows what
    /// NJsonSchema's validator checks (JsonSchemaValidator: combinators, type and nullability, enum,
    /// string, number, array and object keywords); keywords it does not model are in ExtensionData.
    /// </summary>
    private static bool Expressible(JsonSchema s)
    {
        var kindOk = s.Type is JsonObjectType.Object or JsonObjectType.Array or JsonObjectType.String or JsonObjectType.Boolean;
        var combinators = s.AllOf.Count + s.AnyOf.Count + s.OneOf.Count > 0 || s.Not is not null;
        var numbers = s.Minimum.HasValue || s.Maximum.HasValue || s.ExclusiveMinimum.HasValue || s.ExclusiveMaximum.HasValue
                      || s.IsExclusiveMinimum || s.IsExclusiveMaximum || s.MultipleOf.HasValue;
        var strings = s.MaxLength.HasValue || !string.IsNullOrEmpty(s.Format)
                      || (s.Type != JsonObjectType.String && (s.MinLength.HasValue || !string.IsNullOrEmpty(s.Pattern)));
        var arrays = s.MinItems > 0 || s.MaxItems > 0 || s.UniqueItems || s.Items.Count > 0 || s.AdditionalItemsSchema is not null
                     || (s.Type != JsonObjectType.Array && s.Item is not null);
        var objects = s.MinProperties > 0 || s.MaxProperties > 0 || s.PatternProperties.Count > 0 || s.AdditionalPropertiesSchema is not null
                      || (s.Type != JsonObjectType.Object && (s.Properties.Count > 0 || s.RequiredProperties.Count > 0));
        var unknown = s.ExtensionData?.Keys.Any(k => !Annotations.Contains(k)) == true;
        return kindOk && !combinators && !numbers && !strings && !arrays && !objects && !unknown
               && s.Enumeration.Count == 0 && !s.IsNullable(SchemaType.JsonSchema);
    }
}
