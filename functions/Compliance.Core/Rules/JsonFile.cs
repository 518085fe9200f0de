using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Compliance.Core.Rules;

/// <summary>
/// Reads a JSON file a person writes (a rule pack, a suppressions file) with line information, as
/// strict JSON: UTF-8 with or without a byte order mark (PowerShell writes one), never invalid UTF-8
/// (it would silently become U+FFFD), no trailing commas, single quotes or unquoted names (which
/// Newtonsoft would accept); comments are allowed. Every problem names the file, line and column.
/// </summary>
public static class JsonFile
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The document, or null after reporting why it cannot be read.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="file">The file name shown in locations.</param>
    /// <param name="whatEnds">What the closing brace ends, for "unexpected content after the pack's closing '}'".</param>
    /// <param name="problem">Receives each problem.</param>
    public static JToken? Read(byte[] content, string file, string whatEnds, Action<SourceLocation, string> problem)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problem);
        var bytes = content.AsSpan();
        if (bytes.StartsWith(Bom))
        {
            bytes = bytes[Bom.Length..];
        }

        if (FindInvalidUtf8(bytes) is { } bad)
        {
            var (line, column) = Position(bytes, bad);
            problem(new SourceLocation(file, line, column, "$"), $"invalid UTF-8: byte 0x{bytes[bad]:X2} does not belong to a UTF-8 character; save the file as UTF-8");
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        JToken root;
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
            root = JToken.ReadFrom(reader, new JsonLoadSettings { LineInfoHandling = LineInfoHandling.Load, DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error, CommentHandling = CommentHandling.Ignore });
            if (reader.Read() && reader.TokenType != JsonToken.Comment)
            {
                problem(new SourceLocation(file, reader.LineNumber, reader.LinePosition, "$"), $"unexpected content after {whatEnds} closing '}}'");
                return null;
            }
        }
        catch (JsonReaderException ex)
        {
            var path = "$" + (string.IsNullOrEmpty(ex.Path) ? string.Empty : "." + ex.Path);
            problem(new SourceLocation(file, Math.Max(1, ex.LineNumber), Math.Max(1, ex.LinePosition), path), "invalid JSON: " + FirstSentence(ex.Message, " Path '"));
            return null;
        }

        // Newtonsoft is lenient where JSON is not; System.Text.Json's reader is strict.
        try
        {
            var strict = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
            while (strict.Read())
            {
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = Column(bytes, line, (int)(ex.BytePositionInLine ?? 0));
            var message = ex.Message.Contains("trailing comma", StringComparison.Ordinal)
                ? "a trailing comma after the last item is not allowed (the file is strict JSON)"
                : "not strict JSON: " + FirstSentence(ex.Message, " LineNumber:").TrimEnd('.', ' ');
            problem(new SourceLocation(file, line, column, "$"), message);
            return null;
        }

        return root;
    }

    /// <summary>The index of the first byte that is not part of a valid UTF-8 sequence, or null.</summary>
    public static int? FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return null;
        }

        var buffer = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var offset = 0;
            while (true)
            {
                var status = Utf8.ToUtf16(bytes[offset..], buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                offset += read;
                if (status != OperationStatus.DestinationTooSmall)
                {
                    return status == OperationStatus.Done ? null : offset;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>1-based line and column (in characters) of a byte of valid UTF-8 text.</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, int index)
    {
        var before = bytes[..index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return (line, Characters(before[lineStart..]) + 1);
    }

    /// <summary>The 1-based character column of a 0-based byte position in a 1-based line.</summary>
    private static int Column(ReadOnlySpan<byte> bytes, int line, int bytePosition)
    {
        var start = 0;
        for (var l = 1; l < line && start < bytes.Length; l++)
        {
            var next = bytes[start..].IndexOf((byte)'\n');
            start = next < 0 ? bytes.Length : start + next + 1;
        }

        var end = Math.Min(bytes.Length, start + bytePosition);
        return Characters(bytes[start..end]) + 1;
    }

    /// <summary>Characters in UTF-8 bytes: every byte that does not continue a sequence starts one.</summary>
    private static int Characters(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private static string FirstSentence(string message, string marker)
    {
        var cut = message.IndexOf(marker, StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
