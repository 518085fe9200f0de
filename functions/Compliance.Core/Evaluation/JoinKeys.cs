using System.Globalization;
using System.Text.Json;
using Compliance.Core.Conditions;

namespace Compliance.Core.Evaluation;

/// <summary>
/// Keys for the equality index of related resources. A key is at most as strict as the
/// <c>equals</c> operator (values that are equal always share a key), so the index only narrows
/// the candidates; the where condition still decides.
/// </summary>
internal static class JoinKeys
{
    public static string? Of(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Array or JsonValueKind.Object:
                return null;
            case JsonValueKind.True:
                return "b:true";
            case JsonValueKind.False:
                return "b:false";
        }

        if (ValueComparer.TryAsNumber(value, out var number))
        {
            return "n:" + number.ToString("R", CultureInfo.InvariantCulture);
        }

        var text = value.GetString()!;
        if (bool.TryParse(text, out var b))
        {
            return b ? "b:true" : "b:false";
        }

        // The folded form: two strings equals calls equal (Straße, STRASSE) share it.
        return "s:" + CaseFold.Fold(text);
    }
}
