using Microsoft.Win32.SafeHandles;

namespace Compliance.Core.Evaluation;

/// <summary>
/// Append-only storage of byte records in a temporary file, read back by offset: what a scan must
/// keep until the end (the related candidates) lives on disk, in the operating system's file cache,
/// rather than in the process, so the scan's memory does not grow with the tenant. The file is
/// private to the scan and removed when it ends (on Linux and macOS at once: it has no name while
/// it is open, so a killed scan leaves nothing behind). When no temporary file can be created or
/// written (a read-only or full disk), the records stay in memory: slower to grow, never lost.
/// </summary>
internal sealed class SpillArena : IDisposable
{
    private const int BufferSize = 1 << 16;

    private SafeFileHandle? _file;

    // Bytes on disk, then the buffered tail: offsets in [_onDisk, _onDisk + _buffered) are still here.
    private long _onDisk;
    private byte[] _buffer = new byte[BufferSize];
    private int _buffered;

    // Records kept in memory (no file, or the disk refused a write): offset -(index + 1).
    private List<byte[]>? _memory;

    private readonly string? _directory;
    private bool _opened;

    /// <summary>The file is created in <paramref name="directory"/> (default: the temporary folder) when the first record comes.</summary>
    public SpillArena(string? directory = null) => _directory = directory;

    private void Open()
    {
        _opened = true;
        try
        {
            var path = Path.Combine(_directory ?? Path.GetTempPath(), $"compliance-scan-{Guid.NewGuid():N}.tmp");
            _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            if (!OperatingSystem.IsWindows())
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _file?.Dispose();
            _file = null;
            _memory = [];
        }
    }

    /// <summary>Whether the records go to a temporary file (false: kept in memory); false before the first record.</summary>
    public bool OnDisk => _opened && _memory is null;

    /// <summary>Bytes appended so far (on disk or in memory).</summary>
    public long Length { get; private set; }

    /// <summary>Stores a record; returns where to read it again.</summary>
    public long Append(ReadOnlySpan<byte> record)
    {
        if (!_opened)
        {
            Open();
        }

        Length += record.Length;
        return Store(record);
    }

    /// <summary>Reads back the record stored at <paramref name="offset"/>.</summary>
    public void Read(long offset, Span<byte> into)
    {
        if (offset < 0)
        {
            _memory![(int)(-offset - 1)].CopyTo(into);
            return;
        }

        if (offset >= _onDisk)
        {
            _buffer.AsSpan((int)(offset - _onDisk), into.Length).CopyTo(into);
            return;
        }

        while (into.Length > 0)
        {
            var read = RandomAccess.Read(_file!, into, offset);
            if (read <= 0)
            {
                throw new IOException("the scan's temporary file ended early");
            }

            into = into[read..];
            offset += read;
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        _memory = null;
    }

    private long Store(ReadOnlySpan<byte> record)
    {
        if (_memory is not null)
        {
            _memory.Add(record.ToArray());
            return -_memory.Count;
        }

        var offset = _onDisk + _buffered;
        if (_buffered + record.Length > _buffer.Length && !Flush())
        {
            return Store(record);
        }

        if (record.Length > _buffer.Length)
        {
            // Larger than the buffer (a resource with a huge kept array): straight to the file.
            return Write(record) ? offset : Store(record);
        }

        record.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += record.Length;
        return offset;
    }

    /// <summary>Writes the buffer out; false when the disk refused it (the records go to memory from now on).</summary>
    private bool Flush()
    {
        if (_buffered == 0)
        {
            return true;
        }

        if (!Write(_buffer.AsSpan(0, _buffered)))
        {
            return false;
        }

        _buffered = 0;
        return true;
    }

    private bool Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            RandomAccess.Write(_file!, bytes, _onDisk);
            _onDisk += bytes.Length;
            return true;
        }
        catch (IOException)
        {
            // The buffered tail stays readable where it is; what comes next is kept in memory.
            _memory = [];
            _buffer = _buffer[.._buffered];
            return false;
        }
    }
}
