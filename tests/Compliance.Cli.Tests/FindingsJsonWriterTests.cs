using System.Text;
using System.Text.Json;
using Compliance.Cli.Output;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Tests;

/// <summary>The JSON writer of scan and findings encodes chunks in parallel and writes them in order on a thread of its own: what it writes, and how a broken output shows.</summary>
public sealed class FindingsJsonWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(20_000)]
    public void The_array_holds_every_finding_in_order_one_per_line(int count)
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var file = new StreamWriter(path, false, new UTF8Encoding(false)))
            using (var writer = new FindingsJsonWriter(file))
            {
                for (var i = 0; i < count; i++)
                {
                    writer.Write(new StoredFinding(Finding(i), "/subscriptions/s", HistoryStatus.New));
                }

                writer.Close();
            }

            var text = File.ReadAllText(path);
            using var json = JsonDocument.Parse(text);
            Assert.Equal(count, json.RootElement.GetArrayLength());
            Assert.Equal(Enumerable.Range(0, count).Select(i => $"res-{i}"), json.RootElement.EnumerateArray().Select(e => e.GetProperty("resourceName").GetString()));
            Assert.Equal(count == 0 ? 1 : count + 2, text.TrimEnd('\n').Split('\n').Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_text_writer_gets_the_same_document_as_a_file()
    {
        var text = new StringWriter();
        using (var writer = new FindingsJsonWriter(text))
        {
            writer.Write(new StoredFinding(Finding(7), "/subscriptions/s"));
            writer.Close();
        }

        using var json = JsonDocument.Parse(text.ToString());
        Assert.Equal("res-7", json.RootElement[0].GetProperty("resourceName").GetString());
    }

    [Fact]
    public void An_output_that_breaks_is_reported_when_the_writer_closes()
    {
        using var writer = new FindingsJsonWriter(new BrokenWriter());
        var error = Assert.Throws<IOException>(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                writer.Write(new StoredFinding(Finding(i), "/subscriptions/s"));
            }

            writer.Close();
        });

        Assert.Equal("No space left on device", error.Message);
    }

    private static Finding Finding(int i) => new()
    {
        FindingId = FindingId.Compute("AZ-ENC-001", $"/subscriptions/s/res-{i}"),
        RuleId = "AZ-ENC-001",
        RuleTitle = "Storage accounts require TLS 1.2",
        PackId = "azure-encryption",
        PackVersion = "1.0.0",
        ResourceId = $"/subscriptions/s/res-{i}",
        ResourceName = $"res-{i}",
        ResourceType = "microsoft.storage/storageaccounts",
        Outcome = Outcome.Fail,
        Severity = Severity.High,
        Category = RuleCategory.Encryption,
        Reason = "properties.minimumTlsVersion is 'TLS1_0'; expected 'TLS1_2'.",
        Evidence = [],
        Controls = new Dictionary<string, IReadOnlyList<string>> { ["NIST-800-53-r5"] = ["SC-8"] },
    };

    private sealed class BrokenWriter : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => throw new IOException("No space left on device");

        public override void Write(char[] buffer, int index, int count) => throw new IOException("No space left on device");
    }
}
