using System.Text;
using System.Text.Json;
using Compliance.Core.Snapshots;

namespace Compliance.Core.Tests;

/// <summary>The snapshot's "displayNames": written by the collector before the resources, read in both forms, refused out of place.</summary>
public sealed class SnapshotDisplayNamesTests
{
    private static async Task<SnapshotHeader> ReadAsync(string text, string source)
    {
        using var reader = SnapshotReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), source);
        await foreach (var resource in reader.ReadResourcesAsync())
        {
            resource.Dispose();
        }

        return reader.Header;
    }

    [Theory]
    [InlineData(SnapshotFormat.Document, "s.json")]
    [InlineData(SnapshotFormat.Lines, "s.jsonl")]
    public async Task The_writer_puts_the_names_before_the_resources_and_the_reader_reads_them_back(SnapshotFormat format, string source)
    {
        using var output = new MemoryStream();
        var names = new Dictionary<string, string> { ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner", ["p1"] = "alice@contoso.example" };
        await using (var writer = await SnapshotWriter.StartAsync(output, format, DateTimeOffset.UnixEpoch, "t1", CancellationToken.None, displayNames: names))
        {
            using var doc = JsonDocument.Parse("""{"id":"/subscriptions/a/providers/T/x/r","type":"T/x","name":"r"}""");
            await writer.WriteAsync(doc.RootElement, null, SnapshotWriter.TypeMode.Keep, CancellationToken.None);
            await writer.CompleteAsync("t1", [], CancellationToken.None);
        }

        var text = Encoding.UTF8.GetString(output.ToArray());
        var header = await ReadAsync(text, source);

        Assert.True(text.IndexOf("displayNames", StringComparison.Ordinal) < text.IndexOf("/subscriptions/a", StringComparison.Ordinal));
        Assert.Equal("Owner", header.DisplayNames["8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"]);
        Assert.Equal("alice@contoso.example", header.DisplayNames["p1"]);
    }

    [Fact]
    public async Task Names_after_the_resources_are_refused_with_their_line_and_path()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync("{\"schemaVersion\":1,\"resources\":[],\n\"displayNames\":{\"a\":\"b\"}}", "late.json"));

        Assert.Contains("late.json:2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("$.displayNames", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must come before 'resources'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_is_not_text_is_refused()
    {
        var ex = await Assert.ThrowsAsync<SnapshotFormatException>(() => ReadAsync("{\"schemaVersion\":1,\"displayNames\":{\"a\":1},\"resources\":[]}", "bad.json"));

        Assert.Contains("$.displayNames['a']", ex.Message, StringComparison.Ordinal);
    }
}
