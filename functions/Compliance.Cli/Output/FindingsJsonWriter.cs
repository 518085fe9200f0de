using System.Buffers;
using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Output;

/// <summary>
/// Writes findings as one JSON array, one at a time, each the finding document every output uses
/// (<see cref="FindingJson"/>: the finding, then historyStatus, scopeId and carried), one finding
/// per line: still one JSON array for any parser, and a line per finding for grep and for people.
/// </summary>
internal sealed class FindingsJsonWriter(TextWriter writer) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private char[] _chars = new char[64 * 1024];
    private Utf8JsonWriter? _json;
    private bool _first = true;
    private bool _closed;

    public void Write(StoredFinding stored)
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

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _buffer.Write(_first ? "[]\n"u8 : "\n]\n"u8);
        Drain();
        writer.Flush();
    }

    public void Dispose() => _json?.Dispose();

    private void Drain()
    {
        var bytes = _buffer.WrittenSpan;
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }

        var count = _decoder.GetChars(bytes, _chars, flush: false);
        writer.Write(_chars, 0, count);
        _buffer.ResetWrittenCount();
    }
}
