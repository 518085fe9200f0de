using Compliance.Core.Rules;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The suppressions a scan applies: a suppressions file and those kept in the store, each checked
/// by the same rules (<see cref="SuppressionRules"/>: justification, owner, expiry limit, "broad").
/// A bad entry in either stops the scan with every problem named (file:line:column: $.path, or the
/// store's suppression id). The file wins over a store entry with the same id.
/// </summary>
public sealed class SuppressionSources(IOptions<SuppressionOptions> options, TimeProvider time)
{
    public async Task<SuppressionSet> LoadAsync(string? file, IReportStore? store, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fromFile = file is null ? [] : SuppressionFile.Load(file, now, options.Value);
        var fromStore = store is null ? [] : await store.ListSuppressionsAsync(cancellationToken);
        var diagnostics = new List<SuppressionDiagnostic>();
        foreach (var suppression in fromStore)
        {
            foreach (var (field, message) in SuppressionRules.Problems(suppression, now, options.Value))
            {
                diagnostics.Add(new SuppressionDiagnostic(new SourceLocation($"store suppression '{suppression.Id}'", 0, 0, "$." + field), message));
            }
        }

        if (diagnostics.Count > 0)
        {
            throw new SuppressionFileException(diagnostics);
        }

        var ids = fromFile.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        return new SuppressionSet([.. fromFile, .. fromStore.Where(s => !ids.Contains(s.Id)).Select(s => s with { Source = s.Source ?? "store" })], now);
    }
}
