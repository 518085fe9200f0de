using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>A run's scopes by id (case-insensitive), found in constant time however many subscriptions the tenant has. Not thread-safe.</summary>
public sealed class ScopeLookup
{
    private readonly Dictionary<string, RunScope> _scopes = new(StringComparer.OrdinalIgnoreCase);

    public ScopeLookup(IEnumerable<RunScope> scopes)
    {
        foreach (var scope in scopes)
        {
            _scopes.TryAdd(scope.Id, scope);
        }
    }

    private string? _lastId;
    private RunScope? _last;
    private string? _otherId;
    private RunScope? _other;

    /// <summary>
    /// The scope of that id. The findings of a resource come together and share their scope's string,
    /// so the last two answers are kept: a merge asks of the current run's and the previous run's
    /// findings in turn, each with strings of its own.
    /// </summary>
    public RunScope? Find(string scopeId)
    {
        if (ReferenceEquals(scopeId, _lastId))
        {
            return _last;
        }

        if (!ReferenceEquals(scopeId, _otherId))
        {
            _other = _scopes.GetValueOrDefault(scopeId);
            _otherId = scopeId;
        }

        (_lastId, _last, _otherId, _other) = (_otherId, _other, _lastId, _last);
        return _last;
    }
}
