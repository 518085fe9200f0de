using System.Text;
using System.Text.Json.Nodes;
using Compliance.Reporting.Suppressions;
using NJsonSchema;

namespace Compliance.Reporting.Tests.Suppressions;

/// <summary>
/// The fast path takes its rules from the schema NJsonSchema loaded (suppressions.schema.json stays
/// their one home), and has no shape — so every file takes the full path — when the schema uses a
/// keyword it does not enforce.
/// </summary>
public sealed class SchemaShapeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static readonly string SchemaText = File.ReadAllText(RepoPaths.File("functions", "Compliance.Reporting", "Suppressions", "suppressions.schema.json"));

    private static readonly byte[] ValidFile = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "Suppressions", "suppressions-valid.json"));

    [Fact]
    public void The_shape_of_the_suppressions_schema_is_what_the_schema_says()
    {
        var root = SchemaShape.From(Load(SchemaText));

        Assert.NotNull(root);
        Assert.Equal(["suppressions"], root.Required);
        Assert.False(root.AdditionalProperties);
        var item = root.Properties["suppressions"].Items!;
        Assert.Equal(["expiresOn", "justification", "owner", "ruleId"], item.Required.Order(StringComparer.Ordinal));
        Assert.Equal(["broad", "expiresOn", "id", "justification", "owner", "resourceId", "resourcePattern", "ruleId", "tag"], item.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(JsonObjectType.Boolean, item.Properties["broad"].Kind);
        Assert.Equal(1, item.Properties["ruleId"].MinLength);
        Assert.Equal("^[A-Za-z0-9._:-]{1,128}$", item.Properties["id"].Pattern?.ToString());
        Assert.Equal(["name"], item.Properties["tag"].Required);
    }

    [Fact]
    public void The_embedded_schema_is_the_file_in_the_repository()
    {
        // What the tests below change is what the reader is given.
        var embedded = SuppressionFile.Shape;

        Assert.NotNull(embedded);
        Assert.Equal(SchemaShape.From(Load(SchemaText))!.Properties["suppressions"].Items!.Properties.Keys.Order(StringComparer.Ordinal), embedded.Properties["suppressions"].Items!.Properties.Keys.Order(StringComparer.Ordinal));
    }

    public static TheoryData<string, string> UnknownKeywords() => new()
    {
        { "owner", """{ "maxLength": 200 }""" },
        { "owner", """{ "format": "email" }""" },
        { "owner", """{ "enum": ["a", "b"] }""" },
        { "owner", """{ "const": "a" }""" },
        { "owner", """{ "not": { "pattern": "^x" } }""" },
        { "owner", """{ "oneOf": [ { "minLength": 2 }, { "pattern": "@" } ] }""" },
        { "owner", """{ "anyOf": [ { "minLength": 2 } ] }""" },
        { "owner", """{ "allOf": [ { "minLength": 2 } ] }""" },
        { "owner", """{ "type": ["string", "null"] }""" },
        { "owner", """{ "type": "number" }""" },
        { "owner", """{ "if": { "pattern": "^x" }, "then": { "minLength": 3 } }""" },
        { "tag", """{ "minProperties": 1 }""" },
        { "tag", """{ "maxProperties": 1 }""" },
        { "tag", """{ "patternProperties": { "^x-": { "type": "string" } } }""" },
        { "tag", """{ "propertyNames": { "pattern": "^[a-z]+$" } }""" },
        { "tag", """{ "dependencies": { "value": ["name"] } }""" },
        { "tag", """{ "additionalProperties": { "type": "string" } }""" },
        { "broad", """{ "default": false, "examples": [true], "minimum": 0 }""" },
    };

    [Theory]
    [MemberData(nameof(UnknownKeywords))]
    public void A_schema_with_a_keyword_the_shape_cannot_hold_has_no_shape(string property, string keywords)
    {
        var schema = Load(Change(property, keywords));

        Assert.Null(SchemaShape.From(schema));
        Assert.Null(SuppressionFile.ReadValid(ValidFile, "suppressions.json", Now, new SuppressionOptions(), SchemaShape.From(schema)));
    }

    [Fact]
    public void A_pattern_dotnet_cannot_compile_leaves_the_schema_without_a_shape() =>
        Assert.Null(SchemaShape.From(Load(Change("owner", """{ "pattern": "([a-z" }"""))));

    [Fact]
    public void Annotations_do_not_take_the_shape_away()
    {
        var schema = Load(Change("owner", """{ "title": "Owner", "$comment": "a mailbox", "examples": ["a@b.example"], "default": "x", "readOnly": false }"""));

        Assert.NotNull(SchemaShape.From(schema));
    }

    [Fact]
    public void A_rule_changed_in_the_schema_changes_what_the_fast_path_accepts()
    {
        var options = new SuppressionOptions();
        Assert.NotNull(SuppressionFile.ReadValid(ValidFile, "suppressions.json", Now, options, SchemaShape.From(Load(SchemaText))));

        // An id required, owners of at least 30 characters, justifications that name a ticket, no "tag" or "broad": each refuses an entry of the valid file.
        string[] stricter =
        [
            Change("suppression", """{ "required": ["ruleId", "justification", "owner", "expiresOn", "id"] }"""),
            Change("owner", """{ "minLength": 30 }"""),
            Change("justification", """{ "pattern": "[A-Z]+-[0-9]+" }"""),
            Change("suppression", """{ "properties": { "id": { "type": "string" }, "ruleId": { "type": "string" }, "resourceId": { "type": "string" }, "resourcePattern": { "type": "string" }, "justification": { "type": "string" }, "owner": { "type": "string" }, "expiresOn": { "type": "string" } } }"""),
        ];
        foreach (var text in stricter)
        {
            var shape = SchemaShape.From(Load(text));
            Assert.NotNull(shape);
            Assert.Null(SuppressionFile.ReadValid(ValidFile, "suppressions.json", Now, options, shape));
        }
    }

    [Fact]
    public void An_open_object_takes_unknown_properties_of_any_value_but_not_twice()
    {
        var shape = SchemaShape.From(Load(Change("suppression", """{ "additionalProperties": true }""")));
        var options = new SuppressionOptions();
        var text = Encoding.UTF8.GetString(ValidFile);

        var open = SuppressionFile.ReadValid(Encoding.UTF8.GetBytes(text.Replace("\"owner\":", "\"note\": { \"any\": [1, null] }, \"owner\":", StringComparison.Ordinal)), "suppressions.json", Now, options, shape);
        var twice = SuppressionFile.ReadValid(Encoding.UTF8.GetBytes(text.Replace("\"owner\":", "\"note\": 1, \"note\": 2, \"owner\":", StringComparison.Ordinal)), "suppressions.json", Now, options, shape);

        Assert.NotNull(open);
        Assert.Equal(5, open.Count);
        Assert.Null(twice);
    }

    private static JsonSchema Load(string text) => JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();

    /// <summary>The schema with keywords merged into one definition ("suppression") or one property of it.</summary>
    private static string Change(string where, string keywords)
    {
        var schema = JsonNode.Parse(SchemaText)!;
        var suppression = schema["definitions"]!["suppression"]!;
        var target = where == "suppression" ? suppression : suppression["properties"]![where]!;
        foreach (var (name, value) in JsonNode.Parse(keywords)!.AsObject())
        {
            target[name] = value?.DeepClone();
        }

        return schema.ToJsonString();
    }
}
