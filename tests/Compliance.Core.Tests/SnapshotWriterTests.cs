using System.Text;
using System.Text.Json;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Tests;

/// <summary>The one snapshot writer, read back by the reader: the JSON Lines end line, duplicate scopes, scopes read ahead.</summary>
public sealed class SnapshotWriterTests
{
    private static readonly DateTimeOffset CollectedAt = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    private static async Task<byte[]> WriteAsync(SnapshotFormat format, int resources, params SnapshotScope[] scopes)
    {
        using var output = new MemoryStream();
        await using (var writer = await SnapshotWriter.StartAsync(output, format, CollectedAt, "t-1", CancellationToken.None))
        {
            for (var i = 0; i < resources; i++)
            {
                using var doc = JsonDocument.Parse($$"""{"id":"/subscriptions/a/providers/T/x/r{{i}}","type":"T/x","name":"r{{i}}"}""");
                await writer.WriteAsync(doc.RootElement, null, SnapshotWriter.TypeMode.Keep, CancellationToken.None);
            }

            await writer.CompleteAsync("t-1", scopes, CancellationToken.None);
        }

        return output.ToArray();
    }

    private static async Task<(int Resources, SnapshotHeader Header)> ReadAsync(byte[] bytes, string source)
    {
        using var reader = SnapshotReader.Open(new MemoryStream(bytes), source);
        var count = 0;
        await foreach (var resource in reader.ReadResourcesAsync())
        {
            resource.Dispose();
            count++;
        }

        return (count, reader.Header);
    }

    [Fact]
    public async Task Json_lines_end_with_an_end_line_that_counts_resources_and_scopes()
    {
        var bytes = await WriteAsync(SnapshotFormat.Lines, 3, new SnapshotScope("/subscriptions/a", "ok"));

        var lines = Encoding.UTF8.GetString(bytes).TrimEnd('\n').Split('\n');
        Assert.Equal("""{"end":{"resources":3,"scopes":1}}""", lines[^1]);
        var (resources, header) = await ReadAsync(bytes, "snap.jsonl");
        Assert.Equal(3, resources);
        Assert.True(header.Complete);
        Assert.Equal("t-1", header.TenantId);
    }

    [Fact]
    public async Task Json_lines_cut_at_a_line_boundary_read_as_possibly_truncated()
    {
        var lines = Encoding.UTF8.GetString(await WriteAsync(SnapshotFormat.Lines, 5, new SnapshotScope("/subscriptions/a", "error", "403"))).TrimEnd('\n').Split('\n');
        var head = Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(4)) + "\n");

        var (resources, header) = await ReadAsync(head, "cut.jsonl");

        Assert.Equal(3, resources);
        Assert.False(header.Complete);
        Assert.Contains("no end line", header.IncompleteReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_end_line_whose_counts_do_not_match_is_an_error_naming_the_line()
    {
        var lines = Encoding.UTF8.GetString(await WriteAsync(SnapshotFormat.Lines, 5)).TrimEnd('\n').Split('\n').ToList();
        lines.RemoveAt(2);

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines)), "gap.jsonl"));

        Assert.Equal(6, error.Line);
        Assert.Contains("counts 5 resources", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_may_follow_the_end_line()
    {
        var text = Encoding.UTF8.GetString(await WriteAsync(SnapshotFormat.Lines, 1)) + """{"id":"/subscriptions/a/late","type":"T/x"}""" + "\n";

        var error = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync(Encoding.UTF8.GetBytes(text), "late.jsonl"));

        Assert.Contains("after the end line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_read_to_its_closing_brace_is_complete_and_names_its_tenant_first()
    {
        var bytes = await WriteAsync(SnapshotFormat.Document, 2, new SnapshotScope("/subscriptions/a", "ok"));

        var text = Encoding.UTF8.GetString(bytes);
        Assert.True(text.IndexOf("\"tenantId\"", StringComparison.Ordinal) < text.IndexOf("\"resources\"", StringComparison.Ordinal));
        var (resources, header) = await ReadAsync(bytes, "snap.json");
        Assert.Equal(2, resources);
        Assert.True(header.Complete);
    }

    [Theory]
    [InlineData("ok", "error")]
    [InlineData("error", "ok")]
    public async Task A_scope_listed_twice_takes_its_worst_status(string first, string second)
    {
        var bytes = await WriteAsync(SnapshotFormat.Document, 1, new SnapshotScope("/subscriptions/a", first, first == "error" ? "403" : null), new SnapshotScope("/SUBSCRIPTIONS/A", second, second == "error" ? "403" : null, "Prod"));

        var (_, header) = await ReadAsync(bytes, "twice.json");

        var scope = Assert.Single(header.Scopes);
        Assert.Equal(("error", "403", "Prod"), (scope.Status, scope.Error, scope.DisplayName));
        Assert.Same(scope, header.FindScope("/subscriptions/A"));
    }

    [Theory]
    [InlineData(SnapshotFormat.Document, "snap.json")]
    [InlineData(SnapshotFormat.Lines, "snap.jsonl")]
    public async Task Scopes_written_after_the_resources_are_read_ahead_of_them(SnapshotFormat format, string source)
    {
        var bytes = await WriteAsync(format, 50, new SnapshotScope("/subscriptions/a", "error", "403"), new SnapshotScope("/tenants/t-1", "ok"));
        using var reader = SnapshotReader.Open(new MemoryStream(bytes), source);

        await reader.ReadScopesAheadAsync();

        Assert.Equal(["/subscriptions/a", "/tenants/t-1"], reader.Header.Scopes.Select(s => s.Id));
        Assert.Equal("t-1", reader.Header.TenantId);
        Assert.Equal(CollectedAt, reader.Header.CollectedAt);
        var count = 0;
        await foreach (var resource in reader.ReadResourcesAsync())
        {
            resource.Dispose();
            count++;
        }

        Assert.Equal(50, count);
        Assert.Equal(2, reader.Header.Scopes.Count);
    }
}
