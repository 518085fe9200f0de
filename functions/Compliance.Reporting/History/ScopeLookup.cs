using Compliance.Reporting.Store;

namespace Compliance.Reporting.History;

/// <summary>A run's scopes by id (case-insensitive), found in constant time however many subscriptions the tenant has.</summary>
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

    public RunScope? Find(string scopeId) => _scopes.GetValueOrDefault(scopeId);
}
