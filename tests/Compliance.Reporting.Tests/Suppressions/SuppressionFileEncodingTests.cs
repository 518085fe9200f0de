using System.Text;
using Compliance.Reporting.Suppressions;

namespace Compliance.Reporting.Tests.Suppressions;

/// <summary>A suppressions file is strict UTF-8 JSON: a byte order mark is accepted, invalid UTF-8 is refused where it is.</summary>
public sealed class SuppressionFileEncodingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private const string File = """
        {
          "suppressions": [
            { "ruleId": "AZ-ENC-001", "resourceId": "/subscriptions/s/x", "justification": "Légacy client until March: ¤", "owner": "alice", "expiresOn": "2027-03-31" }
          ]
        }
        """;

    private static IReadOnlyList<Suppression> Parse(byte[] content) =>
        SuppressionFile.Parse(content, "suppressions.json", Now, new SuppressionOptions());

    [Fact]
    public void A_byte_order_mark_is_accepted() =>
        Assert.Single(Parse([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(File)]));

    [Fact]
    public void Invalid_utf8_is_refused_with_its_line_and_column()
    {
        // Replace the '¤' (two bytes in UTF-8) by a lone 0xFF.
        var at = File.IndexOf('¤', StringComparison.Ordinal);
        byte[] content = [.. Encoding.UTF8.GetBytes(File[..at]), 0xFF, .. Encoding.UTF8.GetBytes(File[(at + 1)..])];

        var problem = Assert.Single(Assert.Throws<SuppressionFileException>(() => Parse(content)).Diagnostics);

        var line = File[..at].Count(c => c == '\n') + 1;
        var column = at - File.LastIndexOf('\n', at);
        Assert.Equal(("suppressions.json", line, column), (problem.Location.File, problem.Location.Line, problem.Location.Column));
        Assert.Contains("invalid UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trailing_comma_is_refused()
    {
        var problem = Assert.Single(Assert.Throws<SuppressionFileException>(() => Parse(Encoding.UTF8.GetBytes(File.Replace("\"2027-03-31\" }", "\"2027-03-31\" },", StringComparison.Ordinal)))).Diagnostics);

        Assert.Contains("trailing comma", problem.Message, StringComparison.Ordinal);
    }
}
