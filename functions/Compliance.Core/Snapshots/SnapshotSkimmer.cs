using System.Text;
using System.Text.Json;

namespace Compliance.Core.Snapshots;

/// <summary>
/// Reads what a snapshot says about itself — tenant, collection time, scopes — without parsing its
/// resources, so that a scan knows which scopes failed before it evaluates the first resource (a
/// streaming collector writes the scopes last). JSON Lines written by the collector end with their
/// scope lines and the end line, which are read from the tail; anything else is skimmed token by
/// token, resources skipped.
/// </summary>
internal static class SnapshotSkimmer
{
    private const int TailBytes = 256 * 1024;

    public sealed record Result(string? TenantId, string? CollectedAt, IReadOnlyList<JsonElement> Scopes);

    public static async Task<Result> SkimAsync(Stream stream, SnapshotFormat format, CancellationToken cancellationToken)
    {
        if (format == SnapshotFormat.Document)
        {
            return await ForwardAsync(stream, format, cancellationToken).ConfigureAwait(false);
        }

        var (tenantId, collectedAt) = await HeaderLineAsync(stream, cancellationToken).ConfigureAwait(false);
        var scopes = await TailAsync(stream, cancellationToken).ConfigureAwait(false) ?? (await ForwardAsync(stream, format, cancellationToken).ConfigureAwait(false)).Scopes;
        return new Result(tenantId, collectedAt, scopes);
    }

    /// <summary>The tenant and collection time of a JSON Lines header (its first line, when it has schemaVersion).</summary>
    private static async Task<(string? TenantId, string? CollectedAt)> HeaderLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var first = new byte[(int)Math.Min(stream.Length, 64 * 1024)];
        var got = await stream.ReadAtLeastAsync(first, first.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var newline = Array.IndexOf(first, (byte)'\n', 0, got);
        var end = newline < 0 ? got : newline;
        if (end <= 0 || !TryParse(Encoding.UTF8.GetString(first, 0, end).Trim(), out var header) || !header.TryGetProperty("schemaVersion", out _))
        {
            return (null, null);
        }

        return (
            header.TryGetProperty("tenantId", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null,
            header.TryGetProperty("collectedAt", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
    }

    /// <summary>The scope lines just before the end line, when the end line's count says they are all there.</summary>
    private static async Task<List<JsonElement>?> TailAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        var size = (int)Math.Min(length, TailBytes);
        var bytes = new byte[size];
        stream.Seek(length - size, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (size < length && lines.Count > 0)
        {
            lines.RemoveAt(0); // cut in the middle
        }

        if (lines.Count == 0 || !TryParse(lines[^1], out var end) || !end.TryGetProperty("end", out var counts) || end.TryGetProperty("id", out _)
            || counts.ValueKind != JsonValueKind.Object || !counts.TryGetProperty("scopes", out var scopeCount) || !scopeCount.TryGetInt32(out var expected)
            || expected > lines.Count - 1)
        {
            return null;
        }

        var scopes = new List<JsonElement>(expected);
        foreach (var text in lines.Skip(lines.Count - 1 - expected).Take(expected))
        {
            if (!TryParse(text, out var record) || !record.TryGetProperty("scope", out var scope) || record.TryGetProperty("id", out _))
            {
                return null; // scope lines elsewhere in the file: skim it all
            }

            scopes.Add(scope.Clone());
        }

        return scopes;
    }

    private static async Task<Result> ForwardAsync(Stream stream, SnapshotFormat format, CancellationToken cancellationToken)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        var final = false;
        var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = format == SnapshotFormat.Lines, MaxDepth = 256 });
        string? tenantId = null, collectedAt = null, property = null;
        var scopes = new List<JsonElement>();
        var seenScopes = false;
        while (true)
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), final, state);
            var stop = false;
            while (true)
            {
                var checkpoint = reader;
                if (!reader.Read())
                {
                    break;
                }

                var depth = reader.CurrentDepth;
                if (reader.TokenType == JsonTokenType.PropertyName && depth == 1)
                {
                    property = reader.GetString();
                    continue;
                }

                if (depth != 1 || property is null)
                {
                    continue;
                }

                var name = property;
                property = null;
                // In JSON Lines the header line is the first line, which the reader reads first anyway.
                if (format == SnapshotFormat.Document && name == "tenantId" && reader.TokenType == JsonTokenType.String)
                {
                    tenantId ??= reader.GetString();
                }
                else if (format == SnapshotFormat.Document && name == "collectedAt" && reader.TokenType == JsonTokenType.String)
                {
                    collectedAt ??= reader.GetString();
                }
                else if (name is "scopes" or "scope" && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                {
                    if (!JsonDocument.TryParseValue(ref reader, out var value))
                    {
                        reader = checkpoint;
                        property = name;
                        break;
                    }

                    using (value)
                    {
                        if (value.RootElement.ValueKind == JsonValueKind.Array)
                        {
                            scopes.AddRange(value.RootElement.EnumerateArray().Select(e => e.Clone()));
                            seenScopes = true;
                        }
                        else
                        {
                            scopes.Add(value.RootElement.Clone());
                        }
                    }
                }

                // Everything a document says about itself is known: the rest is resources.
                if (format == SnapshotFormat.Document && seenScopes && tenantId is not null && collectedAt is not null)
                {
                    stop = true;
                    break;
                }
            }

            if (stop || (final && reader.BytesConsumed == end - start))
            {
                break;
            }

            var consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            start += consumed;
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            if (final)
            {
                break; // malformed: the reader itself reports it, with its line
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            final = read == 0;
            end += read;
        }

        return new Result(tenantId, collectedAt, scopes);
    }

    private static bool TryParse(string text, out JsonElement element)
    {
        try
        {
            element = JsonElement.Parse(text);
            return element.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }
}
