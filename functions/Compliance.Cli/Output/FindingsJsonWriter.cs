using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Output;

/// <summary>
/// Writes findings as one JSON array, one at a time, each the finding document every output uses
/// (<see cref="FindingJson"/>: the finding, then historyStatus, scopeId and carried), one finding
/// per line: still one JSON array for any parser, and a line per finding for grep and for people.
/// Findings are encoded a chunk at a time on the thread pool, several chunks at once, and written in
/// the order they came by a thread of its own, a few chunks behind the caller (the scan or the read
/// of the store): after a scan that used a store, the whole run is read back and encoding it on one
/// thread was the slowest part of that read. <see cref="Close"/> waits for the last chunk and
/// reports a write that failed.
/// </summary>
internal sealed class FindingsJsonWriter : IDisposable
{
    private const int ChunkSize = 256;

    private readonly TextWriter _writer;
    private readonly Stream? _utf8;
    private readonly BlockingCollection<Task<ChunkEncoder>> _queue = new(boundedCapacity: Math.Max(4, 2 * Environment.ProcessorCount));
    private readonly ConcurrentBag<ChunkEncoder> _encoders = [];
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly Task _consumer;
    private List<StoredFinding> _chunk = new(ChunkSize);
    private char[] _chars = new char[64 * 1024];
    private ExceptionDispatchInfo? _failure;
    private bool _first = true;
    private bool _closed;

    public FindingsJsonWriter(TextWriter writer)
    {
        _writer = writer;

        // A UTF-8 file: its bytes are written as they are, instead of decoded for the writer to encode again.
        _utf8 = writer is StreamWriter { Encoding: UTF8Encoding } file && file.BaseStream.CanWrite ? file.BaseStream : null;
        _consumer = Task.Factory.StartNew(Consume, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Write(StoredFinding stored)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _chunk.Add(stored);
        if (_chunk.Count == ChunkSize)
        {
            Send();
        }
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        if (_chunk.Count > 0)
        {
            Send();
        }

        _closed = true;
        _queue.CompleteAdding();
        _consumer.Wait();
        _failure?.Throw();
        var end = new ArrayBufferWriter<byte>(8);
        end.Write(_first ? "[]\n"u8 : "\n]\n"u8);
        Drain(end);
        _writer.Flush();
    }

    public void Dispose()
    {
        if (!_closed)
        {
            _closed = true;
            _queue.CompleteAdding();
            _consumer.Wait();
        }

        _queue.Dispose();
    }

    private void Send()
    {
        _failure?.Throw();
        var chunk = _chunk;
        var first = _first;
        _first = false;
        _queue.Add(Task.Run(() => Encode(chunk, first)));
        _chunk = new List<StoredFinding>(ChunkSize);
    }

    /// <summary>A chunk's findings, each on its own line after the array's opening (the first chunk) or a comma.</summary>
    private ChunkEncoder Encode(List<StoredFinding> chunk, bool first)
    {
        var encoder = _encoders.TryTake(out var reused) ? reused : new ChunkEncoder();
        var buffer = encoder.Buffer;
        using var json = new Utf8JsonWriter(buffer, FindingJson.WriterOptions(indented: false));
        foreach (var stored in chunk)
        {
            buffer.Write(first ? "[\n"u8 : ",\n"u8);
            first = false;
            FindingJson.Write(json, stored.Finding, stored.Context, encoder.Rules);
            json.Flush();
            json.Reset(buffer);
        }

        return encoder;
    }

    private void Consume()
    {
        foreach (var encoding in _queue.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                // The output broke (a full disk, a closed pipe): the rest is dropped, the caller told at its next chunk.
                continue;
            }

            try
            {
                var encoder = encoding.GetAwaiter().GetResult();
                Drain(encoder.Buffer);
                encoder.Buffer.ResetWrittenCount();
                _encoders.Add(encoder);
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        }
    }

    private void Drain(ArrayBufferWriter<byte> buffer)
    {
        var bytes = buffer.WrittenSpan;
        if (_utf8 is { } stream)
        {
            _writer.Flush();
            stream.Write(bytes);
            return;
        }

        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        _writer.Write(_chars, 0, count);
    }

    /// <summary>A chunk's bytes and the encoded rule texts of the thread that encodes it (one chunk at a time).</summary>
    private sealed class ChunkEncoder
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(ChunkSize * 1024);

        public FindingJsonRules Rules { get; } = new();
    }
}
