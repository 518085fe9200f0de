using Microsoft.Data.Sqlite;

namespace Compliance.Reporting.Sqlite;

/// <summary>
/// A run's findings with their resources, in the store's order (resource key, then finding id), read
/// as two cursors walked side by side: the run's resources and its findings are both kept in
/// resource key order, so each finding's resource is the next one or the same as the last. A join
/// looked the resource up in its index for every finding, which cost more than reading the finding.
/// Like the join, a finding whose resource row is missing is not returned.
/// </summary>
internal sealed class SqliteRunCursor : IDisposable
{
    // Columns of Finding: 0 finding_id, 1 rule_key, 2 outcome, 3 status, 4 carried, 5 resource_key, 6 detail (when asked for).
    // Columns of Resource: 0 resource_key, 1 resource_id, 2 name, 3 type, 4 location, 5 subscription_id, 6 tags.
    private bool _hasResource;
    private long _resourceKey;
    private bool _returned;

    public SqliteRunCursor(SqliteConnection connection, long runKey, bool includeCarried, bool withDetail, (long ResourceKey, byte[] FindingId)? after = null)
    {
        var carried = includeCarried ? string.Empty : " AND carried = 0";
        var position = after is null ? string.Empty : " AND (resource_key, finding_id) > (?2, ?3)";
        Finding = new SqliteRowReader(
            connection,
            $"SELECT finding_id, rule_key, outcome, status, carried, resource_key{(withDetail ? ", detail" : string.Empty)} FROM findings WHERE run_key = ?1{carried}{position} ORDER BY resource_key, finding_id",
            after is { } a ? [runKey, a.ResourceKey, a.FindingId] : [runKey]);
        try
        {
            Resource = new SqliteRowReader(
                connection,
                $"SELECT resource_key, resource_id, name, type, location, subscription_id, tags FROM resources WHERE run_key = ?1{(after is null ? string.Empty : " AND resource_key >= ?2")} ORDER BY resource_key",
                after is { } b ? [runKey, b.ResourceKey] : [runKey]);
        }
        catch
        {
            Finding.Dispose();
            throw;
        }
    }

    /// <summary>The current finding's row.</summary>
    public SqliteRowReader Finding { get; }

    /// <summary>The current finding's resource row.</summary>
    public SqliteRowReader Resource { get; }

    /// <summary>The current finding's resource key.</summary>
    public long ResourceKey { get; private set; }

    /// <summary>Whether the current finding's resource is another than the previous finding's.</summary>
    public bool NewResource { get; private set; }

    /// <summary>Moves to the next finding that has its resource; false after the last.</summary>
    public bool Read()
    {
        while (Finding.Read())
        {
            var key = Finding.Int64(5);
            while (!_hasResource || _resourceKey < key)
            {
                if (!Resource.Read())
                {
                    return false;
                }

                _hasResource = true;
                _resourceKey = Resource.Int64(0);
            }

            if (_resourceKey == key)
            {
                NewResource = !_returned || key != ResourceKey;
                _returned = true;
                ResourceKey = key;
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        Finding.Dispose();
        Resource.Dispose();
    }
}
