using System.Text;
using System.Text.Json;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;

namespace Compliance.Cli.Output;

/// <summary>
/// Writes findings as one JSON array, one at a time: each finding's fields, its history status
/// ("historyStatus", when it has one) and "carried": true for a finding carried from the previous run.
/// </summary>
internal sealed class JsonArrayWriter(TextWriter writer) : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private bool _first = true;
    private bool _closed;

    public void Write(StoredFinding stored)
    {
        writer.Write(_first ? "[\n" : ",\n");
        _first = false;
        _buffer.SetLength(0);
        var node = JsonSerializer.SerializeToNode(stored.Finding, FindingJson.Options)!.AsObject();
        if (stored.Status is { } status)
        {
            node["historyStatus"] = status.ToWire();
        }

        if (stored.Carried)
        {
            node["carried"] = true;
        }

        using (var json = new Utf8JsonWriter(_buffer, FindingJson.WriterOptions(indented: true)))
        {
            node.WriteTo(json);
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
