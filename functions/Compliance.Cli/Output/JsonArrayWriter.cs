using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;

namespace Compliance.Cli.Output;

/// <summary>Streams findings as one JSON array: the array is open while the scan runs.</summary>
internal sealed class JsonArrayWriter(TextWriter writer) : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private bool _first = true;
    private bool _closed;

    public void Write(Finding finding)
    {
        writer.Write(_first ? "[\n" : ",\n");
        _first = false;
        _buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(_buffer, FindingJson.WriterOptions(indented: true)))
        {
            FindingJson.Write(json, finding);
        }

        writer.Write(Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length));
    }

    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        writer.Write(_first ? "[]\n" : "\n]\n");
        writer.Flush();
    }

    public void Dispose() => _buffer.Dispose();
}
