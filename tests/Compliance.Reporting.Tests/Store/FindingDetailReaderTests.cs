using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// The detail reader against the serializer it stands in for: whatever the store wrote, and
/// whatever else a detail column may hold, reads back as the serializer reads it.
/// </summary>
public sealed class FindingDetailReaderTests
{
    public static TheoryData<string> Written => new()
    {
        "reason only",
        "evidence",
        "escapes",
        "suppressed",
        "several items",
        "empty evidence",
        "empty texts",
    };

    [Theory]
    [MemberData(nameof(Written))]
    public void What_the_store_writes_is_walked_and_reads_back_as_the_serializer_reads_it(string name)
    {
        var json = StoreJson.Serialize(Detail(name));
        var reader = new FindingDetailReader();

        Assert.True(reader.TryRead(Encoding.UTF8.GetBytes(json), out var walked), json);
        AssertSame(Serialized(json), walked);

        // Read again by the same reader (its kept texts now in use) and by the shared one.
        AssertSame(Serialized(json), reader.Read(json));
        AssertSame(Serialized(json), FindingDetailReader.Shared.Read(json));
    }

    [Theory]
    [MemberData(nameof(Written))]
    public void The_bytes_staged_without_a_string_are_the_serializers_string(string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, StoreJson.WriterOptions))
        {
            JsonSerializer.Serialize(writer, Detail(name), StoreJsonContext.Default.FindingDetail);
        }

        Assert.Equal(StoreJson.Serialize(Detail(name)), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("""{"reason":"r","comment":"not a detail property"}""")]
    [InlineData("""{"reason":"first","reason":"second"}""")]
    [InlineData("""{"evidence":[{"path":"p","observed":"o","expected":"e","satisfied":false}]}""")]
    [InlineData("""{"evidence":[{"path":"p","path":"q","observed":"o","expected":"e","satisfied":false,"message":"m"}]}""")]
    [InlineData("""{"evidence":[{"path":"p","observed":"o","expected":"e","satisfied":false,"message":"m","extra":1}]}""")]
    [InlineData("""{"suppressionExpiresOn":"2027-06-30T12:00:00+02:00","suppressionBroad":null}""")]
    [InlineData("""{"Reason":"another case"}""")]
    [InlineData("""{"re\u0061son":"an escaped name"}""")]
    [InlineData("""{"evidence":null,"message":null}""")]
    public void Any_other_shape_reads_as_the_serializer_reads_it(string json) =>
        AssertSame(Serialized(json), new FindingDetailReader().Read(json));

    [Theory]
    [InlineData("""{"reason":42}""")]
    [InlineData("""{"suppressionExpiresOn":"next year"}""")]
    [InlineData("""{"suppressionBroad":"yes"}""")]
    [InlineData("""{"evidence":[{"path":"p","observed":"o","expected":"e","satisfied":"no","message":"m"}]}""")]
    [InlineData("""{"reason":"cut here""")]
    [InlineData("""{"reason":"r"} {"reason":"s"}""")]
    [InlineData("[]")]
    public void What_the_serializer_refuses_is_refused_with_its_error(string json)
    {
        var expected = Assert.ThrowsAny<JsonException>(() => Serialized(json));
        var actual = Assert.ThrowsAny<JsonException>(() => new FindingDetailReader().Read(json));

        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void Kept_texts_never_stand_in_for_other_texts()
    {
        // Far more distinct texts than the reader keeps, each read twice, so that slots are taken
        // over and texts of the same length and hash bucket meet.
        var reader = new FindingDetailReader();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5000; i++)
            {
                var detail = new FindingDetail
                {
                    Reason = $"properties.rules[{i % 97}] is open",
                    Evidence = [new EvidenceItem($"properties.rules[{i}]", i % 2 == 0 ? "true" : "false", $"'{i % 7}'", false, $"properties.rules[{i % 97}] is open")],
                };
                AssertSame(detail, reader.Read(StoreJson.Serialize(detail)));
            }
        }
    }

    [Fact]
    public void A_text_repeated_by_details_is_one_string()
    {
        var reader = new FindingDetailReader();
        var json = StoreJson.Serialize(Detail("evidence"));

        var first = reader.Read(json);
        var second = reader.Read(json);

        Assert.Same(first.Evidence![0].Path, second.Evidence![0].Path);
        Assert.Same(first.Reason, first.Evidence[0].Message);
    }

    private static FindingDetail Serialized(string json) =>
        JsonSerializer.Deserialize(json, StoreJsonContext.Default.FindingDetail)!;

    /// <summary>Equal field for field, evidence item for item (the records compare their lists by reference).</summary>
    private static void AssertSame(FindingDetail expected, FindingDetail actual)
    {
        Assert.Equal(expected with { Evidence = null }, actual with { Evidence = null });
        Assert.Equal(expected.Evidence is null, actual.Evidence is null);
        Assert.Equal(expected.Evidence ?? [], actual.Evidence ?? []);
        Assert.Equal(expected.SuppressionExpiresOn?.Offset, actual.SuppressionExpiresOn?.Offset);
    }

    private static FindingDetail Detail(string name) => name switch
    {
        "reason only" => new FindingDetail { Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'" },
        "evidence" => new FindingDetail
        {
            Reason = "properties.enablePurgeProtection is false; expected true",
            Message = "Key vault kv-2682 has no purge protection",
            Evidence = [new EvidenceItem("properties.enablePurgeProtection", "false", "true", false, "properties.enablePurgeProtection is false; expected true")],
        },
        "escapes" => new FindingDetail
        {
            Reason = "tag \"owner\" is <missing> & 'required'",
            Message = "Résumé vm-ünïcødé \U0001F512 line\nbreak\ttab \\ back",
            Evidence = [new EvidenceItem("tags['cost-center']", "null", "a value matching '^[A-Z]{2}-\\d+$'", false, "tags['cost-center'] is null")],
        },
        "suppressed" => new FindingDetail
        {
            Reason = "properties.publicNetworkAccess is 'Enabled'; expected 'Disabled'",
            SuppressionJustification = "Front door terminates TLS; tracked in CHG-1042",
            SuppressionExpiresOn = new DateTimeOffset(2027, 3, 31, 23, 59, 0, TimeSpan.Zero),
            SuppressionId = "sup-frontdoor",
            SuppressionBroad = true,
        },
        "several items" => new FindingDetail
        {
            Reason = "2 of 3 conditions are not met",
            Evidence =
            [
                new EvidenceItem("properties.networkAcls.defaultAction", "'Allow'", "'Deny'", false, "properties.networkAcls.defaultAction is 'Allow'; expected 'Deny'"),
                new EvidenceItem("properties.supportsHttpsTrafficOnly", "true", "true", true, "properties.supportsHttpsTrafficOnly is true"),
                new EvidenceItem("properties.minimumTlsVersion", "'TLS1_0'", "'TLS1_2'", false, "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'"),
            ],
            SuppressionBroad = false,
        },
        "empty evidence" => new FindingDetail { Message = "m", Evidence = [] },
        "empty texts" => new FindingDetail { Reason = string.Empty, Evidence = [new EvidenceItem(string.Empty, string.Empty, string.Empty, true, string.Empty)] },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
