using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Compliance.Core.Snapshots;

/// <summary>
/// Reads a snapshot as a stream: resources come out one at a time, so memory stays flat however
/// many resources the file holds. A malformed snapshot throws <see cref="SnapshotFormatException"/>
/// with the line and position.
/// </summary>
public sealed class SnapshotReader : IDisposable
{
    private const int InitialBuffer = 256 * 1024;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly string _source;
    private readonly SnapshotFormat _format;
    private byte[] _buffer = new byte[InitialBuffer];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private Mode _mode = Mode.Start;
    private long _line = 1;
    private long _resourceIndex;
    private long _recordIndex;
    private bool _seenResources;
    private bool _endLine;
    private long _scopeRecords;
    private bool _preread;
    private bool _bomChecked;
    private int _bomLength;

    // Characters on the current line before the unread part of the buffer: the column of an invalid
    // UTF-8 byte, when the line began in an earlier buffer.
    private long _charsOnLine;

    private SnapshotReader(Stream stream, string source, SnapshotFormat format, bool ownsStream)
    {
        _stream = stream;
        _source = source;
        _format = format;
        _ownsStream = ownsStream;
        _state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = format == SnapshotFormat.Lines, MaxDepth = 256 });
        TotalBytes = stream.CanSeek ? stream.Length : null;
    }

    private enum Mode
    {
        Start,
        RootProperty,
        Resources,
        End,
    }

    public SnapshotHeader Header { get; } = new();

    public string Source => _source;

    /// <summary>Bytes consumed so far (for progress).</summary>
    public long BytesRead { get; private set; }

    public long? TotalBytes { get; }

    /// <summary>Resources read so far.</summary>
    public long ResourcesRead => _resourceIndex;

    public static SnapshotReader Open(Stream stream, string source, SnapshotFormat? format = null) =>
        new(stream, source, format ?? FormatOf(source), ownsStream: false);

    public static SnapshotReader OpenFile(string path, SnapshotFormat? format = null)
    {
        if (Directory.Exists(path))
        {
            throw new SnapshotFormatException(path, 0, 0, "$", "this is a folder; give the snapshot file (.json or .jsonl)");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SnapshotFormatException(path, 0, 0, "$", "the snapshot file does not exist", ex);
        }

        return new SnapshotReader(stream, path, format ?? FormatOf(path), ownsStream: true);
    }

    public static SnapshotFormat FormatOf(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? SnapshotFormat.Lines
            : SnapshotFormat.Document;

    /// <summary>Every resource of the snapshot, in file order. Dispose each one when done with it.</summary>
    public async IAsyncEnumerable<SnapshotResource> ReadResourcesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batch = new List<SnapshotResource>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            bool done;
            try
            {
                done = Process(batch);
            }
            catch
            {
                foreach (var resource in batch)
                {
                    resource.Dispose();
                }

                throw;
            }

            foreach (var resource in batch)
            {
                yield return resource;
            }

            if (done)
            {
                yield break;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether a resource already read can be read again from the stream (a file): then a resource whose
    /// rules wait for the whole snapshot need not stay in memory.
    /// </summary>
    public bool CanReread => _stream.CanSeek;

    /// <summary>Reads again a resource read before, from its place in the stream.</summary>
    internal async Task<SnapshotResource> RereadAsync(long offset, int length, long line, CancellationToken cancellationToken)
    {
        var bytes = new byte[length];
        _stream.Seek(offset, SeekOrigin.Begin);
        await _stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw Error(line, 1, "$", "the snapshot changed while it was being scanned", ex);
        }

        return ToResource(document, line, $"line {line}", offset, length);
    }

    /// <summary>
    /// Reads the tenant, the collection time and the scopes before the resources, when they come after
    /// them (a streaming collector writes them last) and the snapshot can be read twice: then a scan
    /// knows which scopes failed before it evaluates the first resource. Does nothing for a stream that
    /// cannot seek, or once reading has begun. Malformed content is left for the real read to report.
    /// </summary>
    public async Task ReadScopesAheadAsync(CancellationToken cancellationToken = default)
    {
        if (_preread || !CanReread || BytesRead > 0 || _end > 0)
        {
            return;
        }

        _preread = true;
        var origin = _stream.Position;
        try
        {
            SnapshotSkimmer.Result skim;
            try
            {
                skim = await SnapshotSkimmer.SkimAsync(_stream, _format, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                // Malformed: the real read reports where, with its line and JSON path.
                return;
            }

            Header.TenantId ??= skim.TenantId;
            if (Header.CollectedAt is null && Conditions.Dates.TryParse(skim.CollectedAt, out var collectedAt))
            {
                Header.CollectedAt = collectedAt;
            }

            foreach (var scope in skim.Scopes)
            {
                try
                {
                    ReadScope(scope, 0, "$.scopes");
                }
                catch (SnapshotFormatException)
                {
                    // The real read reports it with its line.
                }
            }
        }
        finally
        {
            _stream.Seek(origin, SeekOrigin.Begin);
        }
    }

    /// <summary>Reads to the end, discarding resources: for a header whose scopes follow the resources.</summary>
    public async Task ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var resource in ReadResourcesAsync(cancellationToken).ConfigureAwait(false))
        {
            resource.Dispose();
        }
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_final)
        {
            throw Error(_line, 1, _mode == Mode.Resources ? $"$.resources[{_resourceIndex}]" : "$", "the snapshot ends too early (truncated file?)");
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // One value larger than the buffer: grow it (only as large as the largest resource).
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _final = true;
        }

        _end += read;
    }

    /// <summary>Handles every complete value in the buffer. Returns true at the end of the snapshot.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool Process(List<SnapshotResource> batch)
    {
        if (!_bomChecked)
        {
            // A UTF-8 byte order mark (PowerShell writes one) is not part of the JSON.
            if (_end - _start < 3 && !_final)
            {
                return false;
            }

            if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                _start += 3;
                BytesRead += 3;
                _bomLength = 3;
            }

            _bomChecked = true;
        }

        var span = _buffer.AsSpan(_start, _end - _start);
        var reader = new Utf8JsonReader(span, _final, _state);
        var counted = 0;
        var line = _line;
        var done = false;
        try
        {
            while (!done)
            {
                var checkpoint = reader;
                if (!Step(ref reader, span, ref counted, ref line, batch, out done))
                {
                    reader = checkpoint;
                    break;
                }
            }
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            // A string read as the snapshot is parsed (an id, a name, a scope) held invalid UTF-8.
            throw InvalidUtf8(span, batch, ex);
        }
        catch (JsonException ex)
        {
            // At the end of the data, an unfinished value means the file was cut short.
            if (_final && BytesRead <= _bomLength && _end - _start == 0)
            {
                throw Error(1, 1, "$", "the snapshot is empty", ex);
            }

            var truncated = _final && (ex.Message.Contains("depth to be zero", StringComparison.Ordinal) ||
                                       ex.Message.Contains("end of data", StringComparison.OrdinalIgnoreCase) ||
                                       ex.Message.Contains("incomplete", StringComparison.OrdinalIgnoreCase));
            throw Error(
                ex.LineNumber is { } l ? l + 1 : line,
                ex.BytePositionInLine is { } p ? p + 1 : 1,
                _mode == Mode.Resources ? $"$.resources[{_resourceIndex}]" : _format == SnapshotFormat.Lines ? $"line {_recordIndex + 1}" : "$",
                truncated ? "the snapshot ends too early (truncated file?)" : "invalid JSON: " + FirstSentence(ex.Message),
                ex);
        }

        var consumed = (int)reader.BytesConsumed;
        CheckUtf8(span[..consumed], batch);

        // Lines may have been counted past the last complete value (then the reader went back to it).
        line += counted <= consumed
            ? span[counted..consumed].Count((byte)'\n')
            : -span[consumed..counted].Count((byte)'\n');
        _line = line;
        _start += consumed;
        BytesRead += consumed;
        _state = reader.CurrentState;
        return done;
    }

    /// <summary>One step of the state machine; false when the buffer does not hold the whole next value.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool Step(ref Utf8JsonReader reader, ReadOnlySpan<byte> span, ref int counted, ref long line, List<SnapshotResource> batch, out bool done)
    {
        done = false;
        if (_format == SnapshotFormat.Lines)
        {
            return StepLines(ref reader, span, ref counted, ref line, batch, out done);
        }

        if (!reader.Read())
        {
            if (_final && _mode == Mode.End)
            {
                Header.Complete = true;
                done = true;
                return true;
            }

            if (_final)
            {
                throw Error(line, 1, _mode == Mode.Resources ? $"$.resources[{_resourceIndex}]" : "$", "the snapshot ends too early (truncated file?)");
            }

            return false;
        }

        switch (_mode)
        {
            case Mode.Start:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw Error(LineAt(span, reader.TokenStartIndex, ref counted, ref line), 1, "$", "a snapshot is a JSON object { \"schemaVersion\": 1, \"tenantId\", \"collectedAt\", \"scopes\", \"resources\" } (for one resource per line, name the file .jsonl)");
                }

                _mode = Mode.RootProperty;
                return true;
            case Mode.RootProperty:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _mode = Mode.End;
                    return true;
                }

                return ReadRootProperty(ref reader, span, ref counted, ref line);
            case Mode.Resources:
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _mode = Mode.RootProperty;
                    return true;
                }

                var start = reader.TokenStartIndex;
                if (!JsonDocument.TryParseValue(ref reader, out var document))
                {
                    return false;
                }

                var resourceLine = LineAt(span, start, ref counted, ref line);
                batch.Add(ToResource(document, resourceLine, $"$.resources[{_resourceIndex}]", BytesRead + start, reader.BytesConsumed - start));
                _resourceIndex++;
                return true;
            default:
                throw Error(LineAt(span, reader.TokenStartIndex, ref counted, ref line), 1, "$", "unexpected content after the snapshot's closing '}'");
        }
    }

    /// <summary>
    /// Refuses invalid UTF-8: the JSON reader does not check the inside of strings, so a resource would
    /// carry it into the evaluation. <paramref name="consumed"/> ends after a token, so it never splits
    /// a character. Keeps the count of characters on the current line, for the column of an error on a
    /// line that began in an earlier buffer.
    /// </summary>
    private void CheckUtf8(ReadOnlySpan<byte> consumed, List<SnapshotResource> batch)
    {
        if (!Utf8.IsValid(consumed))
        {
            throw InvalidUtf8(consumed, batch);
        }

        var last = consumed.LastIndexOf((byte)'\n');
        _charsOnLine = last >= 0
            ? Encoding.UTF8.GetCharCount(consumed[(last + 1)..])
            : _charsOnLine + Encoding.UTF8.GetCharCount(consumed);
    }

    /// <summary>The error for the first invalid UTF-8 byte of <paramref name="span"/> (the unread part of the buffer).</summary>
    private SnapshotFormatException InvalidUtf8(ReadOnlySpan<byte> span, List<SnapshotResource> batch, Exception? inner = null)
    {
        var bad = Rules.JsonFile.FindInvalidUtf8(span) ?? 0;
        var before = span[..bad];
        var newlines = before.Count((byte)'\n');
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var line = _line + newlines;
        var column = (newlines == 0 ? _charsOnLine : 0) + Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        var at = BytesRead + bad;
        var index = batch.FindIndex(r => r.Offset <= at && at < r.Offset + r.Length);
        var path = index >= 0
            ? _format == SnapshotFormat.Lines ? $"line {batch[index].Line}" : $"$.resources[{_resourceIndex - batch.Count + index}]"
            : _format == SnapshotFormat.Lines ? $"line {line}" : _mode == Mode.Resources ? $"$.resources[{_resourceIndex}]" : "$";
        var shown = bad < span.Length ? $"byte 0x{span[bad]:X2}" : "a byte";
        return Error(line, column, path, $"invalid UTF-8: {shown} does not belong to a UTF-8 character; the snapshot must be UTF-8", inner);
    }

    private bool ReadRootProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> span, ref int counted, ref long line)
    {
        var name = reader.GetString()!;
        var nameLine = LineAt(span, reader.TokenStartIndex, ref counted, ref line);
        if (!reader.Read())
        {
            return false;
        }

        switch (name)
        {
            case "resources":
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw Error(nameLine, 1, "$.resources", "'resources' must be an array of resource objects");
                }

                _seenResources = true;
                _mode = Mode.Resources;
                return true;
            case "schemaVersion":
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var version) || version != 1)
                {
                    throw Error(nameLine, 1, "$.schemaVersion", "unsupported schemaVersion: this version of the scanner reads schemaVersion 1");
                }

                Header.SchemaVersion = version;
                return true;
            case "tenantId":
                Header.TenantId = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Error(nameLine, 1, "$.tenantId", "tenantId must be a string");
                return true;
            case "collectedAt":
                if (reader.TokenType != JsonTokenType.String || !Conditions.Dates.TryParse(reader.GetString(), out var collectedAt))
                {
                    throw Error(nameLine, 1, "$.collectedAt", "collectedAt must be an ISO-8601 date-time such as 2026-11-27T02:00:00Z");
                }

                if (_seenResources)
                {
                    throw Error(nameLine, 1, "$.collectedAt", "collectedAt must come before 'resources': resources are evaluated as they are read, against that time");
                }

                Header.CollectedAt = collectedAt;
                return true;
            case "scopes":
                if (!JsonDocument.TryParseValue(ref reader, out var scopes))
                {
                    return false;
                }

                using (scopes)
                {
                    ReadScopes(scopes.RootElement, nameLine, "$.scopes");
                }

                return true;
            case "displayNames":
                if (_seenResources)
                {
                    throw Error(nameLine, 1, "$.displayNames", "displayNames must come before 'resources': messages are written as resources are read");
                }

                if (!JsonDocument.TryParseValue(ref reader, out var names))
                {
                    return false;
                }

                using (names)
                {
                    ReadDisplayNames(names.RootElement, nameLine);
                }

                return true;
            case "uncollected":
                if (!JsonDocument.TryParseValue(ref reader, out var uncollected))
                {
                    return false;
                }

                using (uncollected)
                {
                    ReadUncollected(uncollected.RootElement, nameLine);
                }

                return true;
            default:
                // Unknown top-level properties are ignored, so newer collectors can add metadata.
                return reader.TrySkip();
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private bool StepLines(ref Utf8JsonReader reader, ReadOnlySpan<byte> span, ref int counted, ref long line, List<SnapshotResource> batch, out bool done)
    {
        done = false;
        if (!reader.Read())
        {
            if (_final)
            {
                Header.Complete = _endLine;
                Header.IncompleteReason = _endLine ? null : "the .jsonl snapshot has no end line ({\"end\": {\"resources\": …, \"scopes\": …}}): it may have been cut short (a copy, a head, an export), so nothing it lacks is taken as fixed";
                done = true;
                return true;
            }

            return false;
        }

        var start = reader.TokenStartIndex;
        var recordLine = LineAt(span, start, ref counted, ref line);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(recordLine, 1, $"line {recordLine}", "each line of a .jsonl snapshot is a JSON object: a header, a scope, a resource or the end line");
        }

        if (_endLine)
        {
            throw Error(recordLine, 1, $"line {recordLine}", "content after the end line: the end line ({\"end\": …}) must be the last line");
        }

        JsonDocument? document;
        try
        {
            if (!JsonDocument.TryParseValue(ref reader, out document))
            {
                return false;
            }
        }
        catch (JsonException ex)
        {
            // One record per line: the record's own line is where to look.
            throw Error(recordLine, ex.BytePositionInLine is { } p ? p + 1 : 1, $"line {recordLine}",
                _final ? "invalid or incomplete JSON record: " + FirstSentence(ex.Message) : "invalid JSON record: " + FirstSentence(ex.Message), ex);
        }

        var root = document.RootElement;
        var path = $"line {recordLine}";
        if (root.TryGetProperty("schemaVersion", out _))
        {
            using (document)
            {
                if (_recordIndex != 0)
                {
                    throw Error(recordLine, 1, path, "the header line (with schemaVersion) must be the first line");
                }

                ReadHeaderObject(root, recordLine);
            }
        }
        else if (root.TryGetProperty("scope", out var scope) && !root.TryGetProperty("id", out _))
        {
            using (document)
            {
                ReadScope(scope, recordLine, path + " scope");
                _scopeRecords++;
            }
        }
        else if (root.TryGetProperty("end", out var end) && !root.TryGetProperty("id", out _))
        {
            using (document)
            {
                ReadEndLine(end, recordLine, path);
            }
        }
        else
        {
            batch.Add(ToResource(document, recordLine, path, BytesRead + start, reader.BytesConsumed - start));
            _resourceIndex++;
        }

        _recordIndex++;
        return true;
    }

    /// <summary>
    /// The end line the collector writes last: { "end": { "resources": N, "scopes": M } }. Its counts
    /// must match what was read, or lines are missing from the middle of the file.
    /// </summary>
    private void ReadEndLine(JsonElement end, long line, string path)
    {
        long Count(string name) =>
            end.ValueKind == JsonValueKind.Object && end.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) && n >= 0
                ? n
                : throw Error(line, 1, $"{path} end.{name}", "the end line is { \"end\": { \"resources\": <count>, \"scopes\": <count> } }");

        var resources = Count("resources");
        var scopes = Count("scopes");
        if (resources != _resourceIndex || scopes != _scopeRecords)
        {
            throw Error(line, 1, path, $"the end line counts {resources} resources and {scopes} scope lines, but the file holds {_resourceIndex} and {_scopeRecords}: lines are missing or were added");
        }

        _endLine = true;
    }

    private void ReadHeaderObject(JsonElement root, long line)
    {
        if (!root.GetProperty("schemaVersion").TryGetInt32(out var version) || version != 1)
        {
            throw Error(line, 1, "$.schemaVersion", "unsupported schemaVersion: this version of the scanner reads schemaVersion 1");
        }

        if (root.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String)
        {
            Header.TenantId = tenant.GetString();
        }

        if (root.TryGetProperty("collectedAt", out var collected))
        {
            if (collected.ValueKind != JsonValueKind.String || !Conditions.Dates.TryParse(collected.GetString(), out var at))
            {
                throw Error(line, 1, "$.collectedAt", "collectedAt must be an ISO-8601 date-time such as 2026-11-27T02:00:00Z");
            }

            Header.CollectedAt = at;
        }

        if (root.TryGetProperty("scopes", out var scopes))
        {
            ReadScopes(scopes, line, "$.scopes");
        }

        if (root.TryGetProperty("uncollected", out var uncollected))
        {
            ReadUncollected(uncollected, line);
        }

        if (root.TryGetProperty("displayNames", out var names))
        {
            ReadDisplayNames(names, line);
        }
    }

    /// <summary>"displayNames": { "&lt;object id or role definition GUID&gt;": "name" }: what messages call the objects resources refer to.</summary>
    private void ReadDisplayNames(JsonElement names, long line)
    {
        if (names.ValueKind != JsonValueKind.Object)
        {
            throw Error(line, 1, "$.displayNames", "'displayNames' must be an object { \"<object id>\": \"<display name>\" }");
        }

        foreach (var property in names.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(line, 1, $"$.displayNames['{property.Name}']", "a display name must be a string");
            }

            Header.DisplayNames[property.Name] = property.Value.GetString()!;
        }
    }

    /// <summary>"uncollected": [ { "type", "reason" } ]: related types the collector could not read.</summary>
    private void ReadUncollected(JsonElement list, long line)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            throw Error(line, 1, "$.uncollected", "'uncollected' must be an array of { \"type\", \"reason\" }");
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
                !item.TryGetProperty("reason", out var reason) || reason.ValueKind != JsonValueKind.String)
            {
                throw Error(line, 1, $"$.uncollected[{i}]", "an uncollected type is { \"type\": \"Namespace/type\", \"reason\": \"…\" }");
            }

            Header.Uncollected.Add(new UncollectedType(type.GetString()!, reason.GetString()!));
            i++;
        }
    }

    private void ReadScopes(JsonElement scopes, long line, string path)
    {
        if (scopes.ValueKind != JsonValueKind.Array)
        {
            throw Error(line, 1, path, "'scopes' must be an array of { \"id\", \"status\": \"ok\"|\"error\", \"error\" }");
        }

        var i = 0;
        foreach (var scope in scopes.EnumerateArray())
        {
            ReadScope(scope, line, $"{path}[{i++}]");
        }
    }

    private void ReadScope(JsonElement scope, long line, string path)
    {
        string? Text(string name) =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var id = Text("id");
        var status = Text("status");
        if (string.IsNullOrEmpty(id) || status is null ||
            !(status.Equals(SnapshotScope.Ok, StringComparison.OrdinalIgnoreCase) || status.Equals(SnapshotScope.Failed, StringComparison.OrdinalIgnoreCase)))
        {
            throw Error(line, 1, path, "a scope is { \"id\": \"/subscriptions/…\" or \"/tenants/…\", \"status\": \"ok\" or \"error\", \"error\": \"…\" }");
        }

        Header.AddScope(new SnapshotScope(id, status.ToLowerInvariant(), Text("error"), Text("displayName")));
    }

    private SnapshotResource ToResource(JsonDocument document, long line, string path, long offset, long length)
    {
        try
        {
            var resource = SnapshotResource.FromDocument(document, _source, line);
            resource.Offset = offset;
            resource.Length = (int)length;
            return resource;
        }
        catch (SnapshotFormatException ex)
        {
            document.Dispose();
            throw Error(line, 1, path, ex.Problem);
        }
    }

    private static long LineAt(ReadOnlySpan<byte> span, long index, ref int counted, ref long line)
    {
        var target = (int)index;
        if (target > counted)
        {
            line += span[counted..target].Count((byte)'\n');
            counted = target;
        }

        return line;
    }

    private SnapshotFormatException Error(long line, long position, string path, string problem, Exception? inner = null) =>
        new(_source, line, position, path, problem, inner);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd('.', ' ') : message;
    }
}
