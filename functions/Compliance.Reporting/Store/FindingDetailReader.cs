using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Reporting.Store;

/// <summary>
/// Reads a stored <see cref="FindingDetail"/> (the JSON <see cref="FindingCodec.DetailJson"/> writes)
/// with a <see cref="Utf8JsonReader"/> walk of exactly that shape, instead of the serializer: the
/// serializer builds each <see cref="EvidenceItem"/> through its constructor on a slow generic
/// path, and reading a million-resource run back spent half its reading thread there. Text the
/// details of a run repeat (an evidence path, an expected value, a reason that is also the
/// evidence's message) is kept and shared rather than made again for every finding. Anything
/// outside that shape — another property, another type of value, a property twice, invalid JSON —
/// is read by the serializer instead, so what comes back is always what the serializer would give.
/// An instance keeps texts and is for one reading thread; <see cref="Shared"/> keeps none and is
/// safe to share.
/// </summary>
public sealed class FindingDetailReader
{
    /// <summary>Texts kept (by a hash of their bytes); a newer text takes an older one's slot.</summary>
    private const int Slots = 512;

    /// <summary>Longer texts (a message naming its resource, say) are rarely repeated: they are not kept.</summary>
    private const int MaxKeptBytes = 256;

    private readonly (byte[] Utf8, string Text)?[]? _kept;

    public FindingDetailReader()
        : this(keep: true)
    {
    }

    private FindingDetailReader(bool keep) => _kept = keep ? new (byte[], string)?[Slots] : null;

    /// <summary>A reader that keeps no text, for any thread (a store reading a finding at a time).</summary>
    public static FindingDetailReader Shared { get; } = new(keep: false);

    /// <summary>The detail in <paramref name="utf8"/>.</summary>
    public FindingDetail Read(ReadOnlySpan<byte> utf8) =>
        TryRead(utf8, out var detail) ? detail : Serialized(utf8);

    /// <summary>The detail in <paramref name="json"/>.</summary>
    public FindingDetail Read(string json) => Read(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Whether the detail has the shape this reader walks (then <paramref name="detail"/> is it); false leaves it to the serializer.</summary>
    internal bool TryRead(ReadOnlySpan<byte> utf8, out FindingDetail detail)
    {
        detail = null!;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? reason = null, message = null, justification = null, suppressionId = null;
            List<EvidenceItem>? evidence = null;
            DateTimeOffset? expires = null;
            bool? broad = null;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryProperty(ref reader, Names, ref seen, out var property))
                {
                    return false;
                }

                switch (property)
                {
                    case 0 when TryText(ref reader, out reason):
                    case 1 when TryText(ref reader, out message):
                    case 3 when TryText(ref reader, out justification):
                    case 5 when TryText(ref reader, out suppressionId):
                        break;
                    case 2 when reader.TokenType == JsonTokenType.Null:
                        break;
                    case 2 when reader.TokenType == JsonTokenType.StartArray && TryEvidence(ref reader, out evidence):
                        break;
                    case 4 when reader.TokenType == JsonTokenType.Null:
                        break;
                    case 4 when reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at):
                        expires = at;
                        break;
                    case 6 when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                        broad = reader.GetBoolean();
                        break;
                    case 6 when reader.TokenType == JsonTokenType.Null:
                        break;
                    default:
                        return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            detail = new FindingDetail
            {
                Reason = reason,
                Message = message,
                Evidence = evidence,
                SuppressionJustification = justification,
                SuppressionExpiresOn = expires,
                SuppressionId = suppressionId,
                SuppressionBroad = broad,
            };
            return true;
        }
        catch (JsonException)
        {
            // Not JSON the tool wrote: the serializer reads it, or says what is wrong with it.
            return false;
        }
    }

    /// <summary>The detail's property names, in <see cref="FindingDetail"/>'s order, as the store's JSON spells them (camelCase).</summary>
    private static readonly string[] Names = CamelCase(
        nameof(FindingDetail.Reason),
        nameof(FindingDetail.Message),
        nameof(FindingDetail.Evidence),
        nameof(FindingDetail.SuppressionJustification),
        nameof(FindingDetail.SuppressionExpiresOn),
        nameof(FindingDetail.SuppressionId),
        nameof(FindingDetail.SuppressionBroad));

    /// <summary>An evidence item's property names, in the order of <see cref="EvidenceItem"/>'s constructor.</summary>
    private static readonly string[] EvidenceNames = CamelCase(
        nameof(EvidenceItem.Path),
        nameof(EvidenceItem.Observed),
        nameof(EvidenceItem.Expected),
        nameof(EvidenceItem.Satisfied),
        nameof(EvidenceItem.Message));

    /// <summary>Property names as the store's JSON policy (camelCase) writes them.</summary>
    private static string[] CamelCase(params string[] names) => Array.ConvertAll(names, JsonNamingPolicy.CamelCase.ConvertName);

    private static FindingDetail Serialized(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, StoreJsonContext.Default.FindingDetail) ?? throw new ReportStoreException($"stored {nameof(FindingDetail)} is null");

    /// <summary>
    /// The property the reader is on, by its index in <paramref name="names"/>, with the reader moved
    /// to its value; false for a name outside them or one seen before (<paramref name="seen"/>, a bit per name).
    /// </summary>
    private static bool TryProperty(ref Utf8JsonReader reader, string[] names, ref int seen, out int property)
    {
        property = -1;
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                property = i;
                break;
            }
        }

        if (property < 0 || (seen & (1 << property)) != 0 || !reader.Read())
        {
            return false;
        }

        seen |= 1 << property;
        return true;
    }

    /// <summary>Every item needs all five properties, once each (the serializer would pass defaults for missing ones).</summary>
    private bool TryEvidence(ref Utf8JsonReader reader, out List<EvidenceItem>? evidence)
    {
        evidence = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? path = null, observed = null, expected = null, message = null;
            var satisfied = false;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!TryProperty(ref reader, EvidenceNames, ref seen, out var property))
                {
                    return false;
                }

                var read = property switch
                {
                    0 => TryText(ref reader, out path),
                    1 => TryText(ref reader, out observed),
                    2 => TryText(ref reader, out expected),
                    3 => TryBoolean(ref reader, out satisfied),
                    _ => TryText(ref reader, out message),
                };
                if (!read)
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || seen != (1 << EvidenceNames.Length) - 1)
            {
                return false;
            }

            evidence.Add(new EvidenceItem(path!, observed!, expected!, satisfied, message!));
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool TryBoolean(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False;
    }

    /// <summary>A string or null value; short unescaped texts seen before are shared.</summary>
    private bool TryText(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (_kept is null || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxKeptBytes)
        {
            text = reader.GetString();
            return true;
        }

        var bytes = reader.ValueSpan;
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        if (_kept[slot] is { } kept && bytes.SequenceEqual(kept.Utf8))
        {
            text = kept.Text;
            return true;
        }

        text = reader.GetString()!;
        _kept[slot] = (bytes.ToArray(), text);
        return true;
    }
}
