using System.Text;
using Compliance.Core.Rules;
using Compliance.Core.Snapshots;
using static Compliance.Core.Tests.Support.RuleHarness;

namespace Compliance.Core.Tests;

/// <summary>
/// Packs and snapshots are strict UTF-8 JSON: a byte order mark is accepted, invalid UTF-8 and
/// trailing commas are refused with file, line and column.
/// </summary>
public sealed class EncodingTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static IReadOnlyList<RuleDiagnostic> PackProblems(byte[] content) =>
        RulePackLoader.Load([new RulePackInput("rules/p.json", content, _ => false, _ => Stream.Null)]).Diagnostics;

    /// <summary>The text as UTF-8 with the marker "\uFFFF" replaced by the invalid byte 0xFF.</summary>
    private static byte[] WithInvalidByte(string text)
    {
        var at = text.IndexOf('\uFFFF', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), 0xFF, .. Encoding.UTF8.GetBytes(text[(at + 1)..])];
    }

    [Fact]
    public void A_pack_with_a_byte_order_mark_loads()
    {
        var loaded = RulePackLoader.Load([new RulePackInput("rules/p.json", [.. Bom, .. Encoding.UTF8.GetBytes(Pack("""{"field":"properties.v","equals":"x"}"""))], _ => false, _ => Stream.Null)]);

        Assert.False(loaded.HasErrors, string.Join(Environment.NewLine, loaded.Diagnostics));
        Assert.Single(loaded.Packs);
    }

    [Fact]
    public void A_pack_with_invalid_utf8_is_refused_at_its_line_and_column()
    {
        var pack = Pack("{\"field\":\"properties.v\",\"equals\":\"é-\uFFFF\"}");
        var line = pack.Split('\n').ToList().FindIndex(l => l.Contains('\uFFFF', StringComparison.Ordinal));
        var column = pack.Split('\n')[line].IndexOf('\uFFFF', StringComparison.Ordinal) + 1;

        var d = Assert.Single(PackProblems([.. Bom, .. WithInvalidByte(pack)]));

        Assert.Equal("rules/p.json", d.Location.File);
        Assert.Equal(line + 1, d.Location.Line);
        Assert.Equal(column, d.Location.Column); // in characters: 'é' is one, though two bytes
        Assert.Contains("invalid UTF-8: byte 0xFF", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"equals\":\"x\"}", "\"equals\":\"x\",}")] // in an object
    [InlineData("[ \"Test/things\" ]", "[ \"Test/things\", ]")] // in an array
    public void A_trailing_comma_in_a_pack_is_refused(string from, string to)
    {
        var pack = Pack("""{"field":"properties.v","equals":"x"}""").Replace(from, to, StringComparison.Ordinal);
        Assert.Contains(to, pack, StringComparison.Ordinal);

        var d = Assert.Single(PackProblems(Encoding.UTF8.GetBytes(pack)));

        Assert.Contains("trailing comma", d.Message, StringComparison.Ordinal);
        Assert.Equal(pack.Split('\n').ToList().FindIndex(l => l.Contains(to, StringComparison.Ordinal)) + 1, d.Location.Line);
    }

    [Fact]
    public void Single_quotes_are_not_json()
    {
        var d = Assert.Single(PackProblems(Encoding.UTF8.GetBytes(Pack("""{"field":'properties.v',"equals":"x"}"""))));

        Assert.Contains("not strict JSON", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comments_stay_allowed_in_packs() =>
        Assert.Empty(PackProblems(Encoding.UTF8.GetBytes("// contoso's pack\n" + Pack("""{"field":"properties.v","equals":"x"} /* compliant */"""))));

    private static async Task<List<string>> ReadIdsAsync(byte[] content, string source)
    {
        using var reader = SnapshotReader.Open(new MemoryStream(content), source);
        var ids = new List<string>();
        await foreach (var resource in reader.ReadResourcesAsync())
        {
            using (resource)
            {
                ids.Add(resource.Id);
            }
        }

        return ids;
    }

    [Theory]
    [InlineData("snap.json", "{\"schemaVersion\":1,\"resources\":[{\"id\":\"a\",\"type\":\"T/x\"}]}")]
    [InlineData("snap.jsonl", "{\"schemaVersion\":1}\n{\"id\":\"a\",\"type\":\"T/x\"}\n")]
    public async Task A_snapshot_with_a_byte_order_mark_is_read(string source, string text) =>
        Assert.Equal(["a"], await ReadIdsAsync([.. Bom, .. Encoding.UTF8.GetBytes(text)], source));

    [Fact]
    public async Task A_byte_order_mark_alone_is_an_empty_snapshot()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadIdsAsync(Bom, "empty.json"));

        Assert.Contains("the snapshot is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_with_invalid_utf8_is_refused_with_line_column_and_path()
    {
        var text = "{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"},\n{\"id\":\"b\",\"type\":\"T/x\",\"name\":\"Zürich-\uFFFF\"}]}";

        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadIdsAsync(WithInvalidByte(text), "tenant.json"));

        Assert.Equal(3, ex.Line);
        Assert.Equal("{\"id\":\"b\",\"type\":\"T/x\",\"name\":\"Zürich-".Length + 1, ex.Position);
        Assert.Equal("$.resources[1]", ex.JsonPath);
        Assert.Contains("invalid UTF-8", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_byte_far_into_a_single_line_counts_columns_across_buffers()
    {
        // One line longer than the reader's 256 KiB buffer, with two-byte characters before the bad byte.
        var resources = string.Join(",", Enumerable.Range(0, 3000).Select(i => $"{{\"id\":\"r{i}\",\"type\":\"T/x\",\"name\":\"Grüße-{new string('ä', 60)}\"}}"));
        var text = "{\"schemaVersion\":1,\"resources\":[" + resources + ",{\"id\":\"z\",\"type\":\"T/x\",\"name\":\"\uFFFF\"}]}";

        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadIdsAsync(WithInvalidByte(text), "big.json"));

        Assert.Equal(1, ex.Line);
        Assert.Equal(text.IndexOf('\uFFFF', StringComparison.Ordinal) + 1, ex.Position);
        Assert.Equal("$.resources[3000]", ex.JsonPath);
    }

    [Fact]
    public async Task A_json_line_with_invalid_utf8_names_its_line()
    {
        var text = "{\"schemaVersion\":1}\n{\"id\":\"a\",\"type\":\"T/x\"}\n{\"id\":\"b\",\"type\":\"T/x\",\"name\":\"\uFFFF\"}\n";

        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadIdsAsync(WithInvalidByte(text), "s.jsonl"));

        Assert.Equal(3, ex.Line);
        Assert.Equal("line 3", ex.JsonPath);
    }

    [Fact]
    public async Task A_trailing_comma_in_a_snapshot_is_refused()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadIdsAsync(Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"},\n]}"), "t.json"));

        Assert.Equal(3, ex.Line);
        Assert.Contains("trailing comma", ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rule_test_fixture_with_a_byte_order_mark_is_read()
    {
        var pack = Pack("""{"field":"properties.v","equals":"x"}""").Replace(
            "\"condition\":",
            """ "tests": [ { "name": "from a file", "expect": "pass", "file": "fixtures/f.json" } ], "condition":""",
            StringComparison.Ordinal);
        var fixture = "\uFEFF" + Thing("""{"v":"x"}""");

        var loaded = RulePackLoader.Load([Input(pack, "p.json", new Dictionary<string, string> { ["fixtures/f.json"] = fixture })]);
        var report = await new Compliance.Core.Testing.RuleTestRunner(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now)).RunAsync(loaded.PacksOrThrow());

        var result = Assert.Single(report.Results, r => r.TestName == "from a file");
        Assert.True(result.Passed, result.Message);
    }
}
