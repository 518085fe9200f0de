using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Core.Snapshots;

/// <summary>
/// The one writer of snapshots, to any stream, as the resources arrive, in either form the reader
/// takes: the document ({ schemaVersion, tenantId, collectedAt, resources: [...], scopes }) whose
/// scopes come last, since a scope's status is known only at the end; or JSON Lines (header, one
/// resource per line, scope lines, then the end line { "end": { "resources": N, "scopes": M } } that
/// tells a whole file from a cut one). Memory holds one buffer, not the resources. Safe for
/// concurrent writers. The collector, the rule test runner and the tests write through it.
/// </summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private const int FlushThreshold = 256 * 1024;

    private readonly Stream _stream;
    private readonly SnapshotFormat _format;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _resources;
    private bool _completed;
    private bool _tenantWritten;

    private SnapshotWriter(Stream stream, SnapshotFormat format)
    {
        _stream = stream;
        _format = format;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
        {
            // Readable output (no \u escapes of non-ASCII text); the snapshot is data, never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = format == SnapshotFormat.Lines,
        });
    }

    /// <summary>How a resource's "type" is written.</summary>
    public enum TypeMode
    {
        /// <summary>As the API returned it.</summary>
        Keep,

        /// <summary>The given type when the object has none (some ARM child endpoints omit it).</summary>
        Default,

        /// <summary>The given type in place of any (Graph objects become microsoft.graph/&lt;collection&gt;).</summary>
        Replace,
    }

    public long ResourceCount => Interlocked.Read(ref _resources);

    public static async Task<SnapshotWriter> StartAsync(Stream stream, SnapshotFormat format, DateTimeOffset collectedAt, string? tenantId, CancellationToken cancellationToken, IReadOnlyList<UncollectedType>? uncollected = null, IReadOnlyDictionary<string, string>? displayNames = null)
    {
        var writer = new SnapshotWriter(stream, format);
        var json = writer._json;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", 1);
        if (tenantId is not null)
        {
            // Before the resources, so that a reader knows the tenant as soon as it starts.
            json.WriteString("tenantId", tenantId);
            writer._tenantWritten = true;
        }

        json.WriteString("collectedAt", IsoTime.Seconds(collectedAt));
        if (displayNames is { Count: > 0 })
        {
            // Before the resources: a scan writes each finding's message as it reads the resource.
            json.WriteStartObject("displayNames");
            foreach (var (id, name) in displayNames.OrderBy(n => n.Key, StringComparer.OrdinalIgnoreCase))
            {
                json.WriteString(id, name);
            }

            json.WriteEndObject();
        }

        if (uncollected is { Count: > 0 })
        {
            // Known from the collection plan before anything is read: related types no reader serves.
            json.WriteStartArray("uncollected");
            foreach (var type in uncollected)
            {
                json.WriteStartObject();
                json.WriteString("type", type.Type);
                json.WriteString("reason", type.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        if (format == SnapshotFormat.Lines)
        {
            json.WriteEndObject();
            writer.EndLine();
        }
        else
        {
            json.WriteStartArray("resources");
        }

        await writer.FlushAsync(force: true, cancellationToken).ConfigureAwait(false);
        return writer;
    }

    public async Task WriteAsync(IEnumerable<JsonElement> resources, string? type, TypeMode mode, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            foreach (var resource in resources)
            {
                WriteResource(resource, type, mode);
                Interlocked.Increment(ref _resources);
                if (_format == SnapshotFormat.Lines)
                {
                    EndLine();
                }

                if (_json.BytesPending + _buffer.WrittenCount >= FlushThreshold)
                {
                    await FlushAsync(force: true, cancellationToken).ConfigureAwait(false);
                }
            }

            await FlushAsync(force: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task WriteAsync(JsonElement resource, string? type, TypeMode mode, CancellationToken cancellationToken) =>
        WriteAsync([resource], type, mode, cancellationToken);

    /// <summary>
    /// Closes the resources and writes the scopes with their status (and the tenant id, when it was not
    /// known at the start); JSON Lines then end with the end line.
    /// </summary>
    public async Task CompleteAsync(string? tenantId, IReadOnlyList<SnapshotScope> scopes, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_format == SnapshotFormat.Lines)
            {
                foreach (var scope in scopes)
                {
                    _json.WriteStartObject();
                    _json.WritePropertyName("scope");
                    WriteScope(scope);
                    _json.WriteEndObject();
                    EndLine();
                }

                _json.WriteStartObject();
                _json.WriteStartObject("end");
                _json.WriteNumber("resources", ResourceCount);
                _json.WriteNumber("scopes", scopes.Count);
                _json.WriteEndObject();
                _json.WriteEndObject();
                EndLine();
            }
            else
            {
                _json.WriteEndArray();
                if (tenantId is not null && !_tenantWritten)
                {
                    _json.WriteString("tenantId", tenantId);
                }

                _json.WriteStartArray("scopes");
                foreach (var scope in scopes)
                {
                    WriteScope(scope);
                }

                _json.WriteEndArray();
                _json.WriteEndObject();
                _json.Flush();
                _buffer.Write("\n"u8);
            }

            await FlushAsync(force: true, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            _completed = true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }

    private void WriteResource(JsonElement resource, string? type, TypeMode mode)
    {
        if (mode == TypeMode.Keep || type is null || (mode == TypeMode.Default && resource.TryGetProperty("type", out _)))
        {
            resource.WriteTo(_json);
            return;
        }

        // The type goes right after the id so a person reading the file sees what each object is.
        _json.WriteStartObject();
        var typeWritten = false;
        foreach (var property in resource.EnumerateObject())
        {
            if (property.NameEquals("type"))
            {
                continue;
            }

            property.WriteTo(_json);
            if (!typeWritten && property.NameEquals("id"))
            {
                _json.WriteString("type", type);
                typeWritten = true;
            }
        }

        if (!typeWritten)
        {
            _json.WriteString("type", type);
        }

        _json.WriteEndObject();
    }

    private void WriteScope(SnapshotScope scope)
    {
        _json.WriteStartObject();
        _json.WriteString("id", scope.Id);
        if (scope.DisplayName is not null)
        {
            _json.WriteString("displayName", scope.DisplayName);
        }

        _json.WriteString("status", scope.Status);
        if (scope.Error is not null)
        {
            _json.WriteString("error", scope.Error);
        }

        _json.WriteEndObject();
    }

    /// <summary>Ends one JSON Lines record: the next value starts a new root.</summary>
    private void EndLine()
    {
        _json.Flush();
        _buffer.Write("\n"u8);
        _json.Reset();
    }

    private async Task FlushAsync(bool force, CancellationToken cancellationToken)
    {
        _json.Flush();
        if (!force && _buffer.WrittenCount < FlushThreshold)
        {
            return;
        }

        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
    }
}
