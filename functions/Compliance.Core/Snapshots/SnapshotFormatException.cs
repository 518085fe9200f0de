namespace Compliance.Core.Snapshots;

/// <summary>A snapshot that cannot be read: the message names the file, line, position and JSON path.</summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException(string source, long line, long position, string jsonPath, string problem, Exception? inner = null)
        : base(line > 0 ? $"{source}:{line}:{position}: {jsonPath}: {problem}" : $"{source}: {problem}", inner)
    {
        Source = source;
        Line = line;
        Position = position;
        JsonPath = jsonPath;
        Problem = problem;
    }

    public SnapshotFormatException()
        : this("snapshot", 0, 0, "$", "the snapshot cannot be read")
    {
    }

    public SnapshotFormatException(string message)
        : this("snapshot", 0, 0, "$", message)
    {
    }

    public SnapshotFormatException(string message, Exception inner)
        : this("snapshot", 0, 0, "$", message, inner)
    {
    }

    public new string Source { get; }

    public long Line { get; }

    public long Position { get; }

    public string JsonPath { get; }

    public string Problem { get; }
}
