using Compliance.Reporting.Store;

namespace Compliance.Cli.Output;

/// <summary>
/// The findings a readable summary lists: at most a fixed number, the most severe kept, so that a
/// tenant with a hundred thousand failures does not hold them all in memory for a table nobody
/// reads to the end. <see cref="Total"/> counts every one.
/// </summary>
internal sealed class SummaryList(int capacity) : IEnumerable<StoredFinding>
{
    private List<StoredFinding> _items = [];

    public int Total { get; private set; }

    public int Count => _items.Count;

    public int Omitted => Total - Math.Min(Total, capacity);

    public void Add(StoredFinding finding)
    {
        Total++;
        _items.Add(finding);
        if (_items.Count >= capacity * 2)
        {
            _items = [.. _items.OrderByDescending(f => f.Finding.Severity).Take(capacity)];
        }
    }

    public IEnumerator<StoredFinding> GetEnumerator() =>
        _items.OrderByDescending(f => f.Finding.Severity).Take(capacity).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
