using System.Text;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Tests;

public sealed class SnapshotReaderTests
{
    private static async Task<(List<(string Id, string Type, long Line)> Resources, SnapshotHeader Header)> ReadAsync(string text, string source = "snap.json", int chunk = 0)
    {
        Stream stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        if (chunk > 0)
        {
            stream = new TrickleStream(stream, chunk);
        }

        using var reader = SnapshotReader.Open(stream, source);
        var list = new List<(string, string, long)>();
        await foreach (var r in reader.ReadResourcesAsync())
        {
            using (r)
            {
                list.Add((r.Id, r.Type, r.Line));
            }
        }

        return (list, reader.Header);
    }

    private const string Document = """
        {
          "schemaVersion": 1,
          "tenantId": "t-1",
          "collectedAt": "2026-11-27T02:00:00Z",
          "scopes": [ { "id": "/subscriptions/a", "status": "ok" } ],
          "extra": { "ignored": [1, 2, {"x": "y"}] },
          "resources": [
            { "id": "/subscriptions/a/r/1", "type": "T/x", "name": "one" },
            { "id": "/subscriptions/a/r/2", "type": "T/y",
              "properties": { "nested": { "deep": [1, 2, 3] } } }
          ]
        }
        """;

    [Fact]
    public async Task Reads_the_document_form_with_header_and_resource_lines()
    {
        var (resources, header) = await ReadAsync(Document);

        Assert.Equal("t-1", header.TenantId);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero), header.CollectedAt);
        Assert.Equal("/subscriptions/a", Assert.Single(header.Scopes).Id);
        Assert.Equal([("/subscriptions/a/r/1", "T/x", 8L), ("/subscriptions/a/r/2", "T/y", 9L)], resources);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Gives_the_same_result_whatever_the_stream_chunking(int chunk)
    {
        var whole = await ReadAsync(Document);
        var trickled = await ReadAsync(Document, chunk: chunk);

        Assert.Equal(whole.Resources, trickled.Resources);
        Assert.Equal(whole.Header.TenantId, trickled.Header.TenantId);
    }

    [Fact]
    public async Task Reads_a_resource_larger_than_the_read_buffer()
    {
        var big = new string('x', 1_000_000);
        var (resources, _) = await ReadAsync("{\"schemaVersion\":1,\"resources\":[{\"id\":\"a\",\"type\":\"T/x\",\"properties\":{\"blob\":\"" + big + "\"}},{\"id\":\"b\",\"type\":\"T/x\"}]}");

        Assert.Equal(["a", "b"], resources.Select(r => r.Id));
    }

    [Fact]
    public async Task Scopes_may_follow_the_resources()
    {
        var (resources, header) = await ReadAsync("""{"schemaVersion":1,"resources":[{"id":"a","type":"T/x"}],"scopes":[{"id":"/subscriptions/a","status":"error","error":"403"}]}""");

        Assert.Single(resources);
        var scope = Assert.Single(header.Scopes);
        Assert.True(scope.IsError);
        Assert.Equal("403", scope.Error);
    }

    [Fact]
    public async Task Reads_json_lines_with_header_scopes_and_resources()
    {
        const string Lines = """
            {"schemaVersion":1,"tenantId":"t-2","collectedAt":"2026-11-27T02:00:00Z"}
            {"id":"a","type":"T/x"}

            {"scope":{"id":"/subscriptions/s","status":"error","error":"403"}}
            {"id":"b","type":"T/y","properties":{"scope":"not a scope line"}}
            """;
        var (resources, header) = await ReadAsync(Lines, "snap.jsonl");

        Assert.Equal("t-2", header.TenantId);
        Assert.Equal([("a", "T/x", 2L), ("b", "T/y", 5L)], resources);
        Assert.True(Assert.Single(header.Scopes).IsError);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"},\n{\"id\":\"b\",\"type\" \"T/x\"}]}", 3, "invalid JSON")]
    [InlineData("{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"},\n{\"id\":\"b\"}]}", 3, "needs a non-empty string 'type'")]
    [InlineData("{\"schemaVersion\":1,\"resources\":[\n{\"type\":\"T/x\"}]}", 2, "needs a non-empty string 'id'")]
    [InlineData("{\"schemaVersion\":1,\"resources\":[\n{\"id\":\"a\",\"type\":\"T/x\"}", 2, "ends too early")]
    [InlineData("{\"schemaVersion\":2,\"resources\":[]}", 1, "unsupported schemaVersion")]
    [InlineData("{\"schemaVersion\":1,\n\"resources\":[],\n\"collectedAt\":\"2026-11-27T00:00:00Z\"}", 3, "collectedAt must come before 'resources'")]
    [InlineData("{\"schemaVersion\":1,\"collectedAt\":\"yesterday\",\"resources\":[]}", 1, "ISO-8601")]
    [InlineData("[{\"id\":\"a\",\"type\":\"T/x\"}]", 1, "a snapshot is a JSON object")]
    [InlineData("{\"schemaVersion\":1,\"scopes\":[{\"id\":\"/subscriptions/a\",\"status\":\"broken\"}],\"resources\":[]}", 1, "a scope is")]
    [InlineData("{\"schemaVersion\":1,\"resources\":[]} trailing", 1, "invalid JSON")]
    public async Task A_malformed_snapshot_names_file_line_and_problem(string text, long line, string problem)
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync(text, "tenant.json"));

        Assert.Equal("tenant.json", ex.Source);
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"tenant.json:{line}:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_json_line_names_its_line()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync("{\"id\":\"a\",\"type\":\"T/x\"}\n{\"id\":\"b\",\"type\":\n", "s.jsonl"));

        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public async Task An_empty_snapshot_says_so()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync(string.Empty, "empty.json"));

        Assert.Equal("empty.json:1:1: $: the snapshot is empty", ex.Message);
    }

    [Fact]
    public void A_folder_is_not_a_snapshot()
    {
        var ex = Assert.Throws<SnapshotFormatException>(() => SnapshotReader.OpenFile(Path.GetTempPath()));

        Assert.EndsWith(": this is a folder; give the snapshot file (.json or .jsonl)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":0:0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such() =>
        Assert.Contains("does not exist", Assert.Throws<SnapshotFormatException>(() => SnapshotReader.OpenFile("/no/such/snapshot.json")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task Resources_get_subscription_and_a_readable_name()
    {
        using var reader = SnapshotReader.Open(new MemoryStream(Encoding.UTF8.GetBytes("""
            {"schemaVersion":1,"resources":[
              {"id":"/subscriptions/ABC/resourceGroups/rg/providers/T/x/n1","type":"T/x","name":"n1","location":"westeurope"},
              {"id":"u1","type":"microsoft.graph/users","userPrincipalName":"a@b.example","displayName":"A"}]}
            """)), "s.json");
        var list = new List<SnapshotResource>();
        await foreach (var r in reader.ReadResourcesAsync())
        {
            list.Add(r);
        }

        Assert.Equal("abc", list[0].SubscriptionId);
        Assert.Equal("westeurope", list[0].Location);
        Assert.False(list[0].IsGraphObject);
        Assert.Equal("a@b.example", list[1].Name);
        Assert.True(list[1].IsGraphObject);
        Assert.Null(list[1].SubscriptionId);
        list.ForEach(r => r.Dispose());
    }

    /// <summary>A stream that returns at most a few bytes per read, as a slow network would.</summary>
    private sealed class TrickleStream(Stream inner, int chunk) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
