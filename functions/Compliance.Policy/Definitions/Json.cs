using Compliance.Core.Rules;
using Newtonsoft.Json.Linq;

namespace Compliance.Policy.Definitions;

/// <summary>Reading ARM JSON the way ARM does: property names in any case.</summary>
internal static class Json
{
    public static JToken? Get(JObject? obj, string name) =>
        obj?.Properties().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static JProperty? Property(JObject? obj, string name) =>
        obj?.Properties().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static string? Text(JObject? obj, string name) =>
        Get(obj, name) is { Type: JTokenType.String } token ? (string)token! : null;

    public static JObject? Object(JObject? obj, string name) => Get(obj, name) as JObject;

    /// <summary>Where a token is: file, line, column and JSON path.</summary>
    public static SourceLocation At(string file, JToken? token) => JsonLocations.Of(file, token);
}
