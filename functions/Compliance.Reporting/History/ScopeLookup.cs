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

    /// <summary>The scope of that id; the findings of a resource come together and share their scope's string, so the last answer is kept.</summary>
    public RunScope? Find(string scopeId)
    {
        if (!ReferenceEquals(scopeId, _lastId))
        {
            _last = _scopes.GetValueOrDefault(scopeId);
            _lastId = scopeId;
        }

        return _last;
    }
}
