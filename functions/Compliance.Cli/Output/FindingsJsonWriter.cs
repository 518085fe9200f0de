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
/// The documents are written on a thread of their own, a few hundred findings behind the caller
/// (the scan or the read of the store), so that encoding them does not wait for evaluation and the
/// other way round; <see cref="Close"/> waits for the last and reports a write that failed.
/// </summary>
internal sealed class FindingsJsonWriter : IDisposable
{
    private const int ChunkSize = 256;

    private readonly TextWriter _writer;
    private readonly Stream? _utf8;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly BlockingCollection<StoredFinding[]> _queue = new(boundedCapacity: 4);
    private readonly Task _consumer;
    private List<StoredFinding> _chunk = new(ChunkSize);
    private char[] _chars = new char[64 * 1024];
    private Utf8JsonWriter? _json;
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
        _buffer.Write(_first ? "[]\n"u8 : "\n]\n"u8);
        Drain();
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
        _json?.Dispose();
    }

    private void Send()
    {
        _failure?.Throw();
        _queue.Add([.. _chunk]);
        _chunk = new List<StoredFinding>(ChunkSize);
    }

    private void Consume()
    {
        foreach (var chunk in _queue.GetConsumingEnumerable())
        {
            if (_failure is not null)
            {
                // The output broke (a full disk, a closed pipe): the rest is dropped, the caller told at its next chunk.
                continue;
            }

            try
            {
                foreach (var stored in chunk)
                {
                    WriteOne(stored);
                }
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
        }
    }

    private void WriteOne(StoredFinding stored)
    {
        _buffer.Write(_first ? "[\n"u8 : ",\n"u8);
        _first = false;
        if (_json is null)
        {
            _json = new Utf8JsonWriter(_buffer, FindingJson.WriterOptions(indented: false));
        }
        else
        {
            _json.Reset(_buffer);
        }

        FindingJson.Write(_json, stored.Finding, stored.Context);
        _json.Flush();
        if (_buffer.WrittenCount >= 48 * 1024)
        {
            Drain();
        }
    }

    private void Drain()
    {
        var bytes = _buffer.WrittenSpan;
        if (_utf8 is { } stream)
        {
            _writer.Flush();
            stream.Write(bytes);
            _buffer.ResetWrittenCount();
            return;
        }

        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        _writer.Write(_chars, 0, count);
        _buffer.ResetWrittenCount();
    }
}
