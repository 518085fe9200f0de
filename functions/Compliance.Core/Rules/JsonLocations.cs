using System.Text.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>Line, column and JSON path of tokens of a pack file read with line information.</summary>
internal static class JsonLocations
{
    public static SourceLocation Of(string file, JToken? token)
    {
        if (token is null)
        {
            return new SourceLocation(file, 1, 1, "$");
        }

        var info = (IJsonLineInfo)token;
        var line = info.HasLineInfo() ? info.LineNumber : 1;
        var column = info.HasLineInfo() ? info.LinePosition : 1;
        return new SourceLocation(file, line, column, PathOf(token));
    }

    public static string PathOf(JToken token)
    {
        var path = token.Path;
        if (path.Length == 0)
        {
            return "$";
        }

        return path[0] == '[' ? "$" + path : "$." + path;
    }

    /// <summary>A JSON literal of the pack as a System.Text.Json element, the form the engine evaluates.</summary>
    public static JsonElement ToElement(JToken token)
    {
        using var document = JsonDocument.Parse(token.ToString(Formatting.None));
        return document.RootElement.Clone();
    }

    public static string KindOf(JToken token) => token.Type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        JTokenType.Null => "null",
        _ => token.Type.ToString().ToLowerInvariant(),
    };
}
