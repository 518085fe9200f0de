using Compliance.Reporting.Controls;

namespace Compliance.Reporting.Csv;

/// <summary>
/// Folds the (control, resource) rows of a <see cref="ControlMatrix"/> into one result per control and
/// one summary per framework, with titles and "not covered" counts from the <see cref="ControlCatalog"/>:
/// what controls-summary.csv and the HTML report's roll-up show, from the same rows as controls.csv.
/// </summary>
public static class ControlSummary
{
    /// <param name="rows">The rows of the run's control matrix.</param>
    /// <param name="catalog">Titles and the controls each known framework has.</param>
    /// <param name="frameworks">Frameworks to summarise even when the run maps nothing to them (those asked for with --framework).</param>
    public static IReadOnlyList<FrameworkSummary> Of(IEnumerable<ControlRow> rows, ControlCatalog catalog, IEnumerable<string>? frameworks = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(catalog);
        var byFramework = new SortedDictionary<string, List<ControlResult>>(StringComparer.Ordinal);
        foreach (var control in rows.GroupBy(r => (r.Framework, r.ControlId)))
        {
            var list = control.ToList();
            if (!byFramework.TryGetValue(control.Key.Framework, out var results))
            {
                byFramework[control.Key.Framework] = results = [];
            }

            results.Add(new ControlResult
            {
                Framework = control.Key.Framework,
                ControlId = control.Key.ControlId,
                Title = catalog.TitleOf(control.Key.Framework, control.Key.ControlId),
                Status = list.Max(r => r.Status),
                ResourcesPass = list.Count(r => r.Status == ControlStatus.Pass),
                ResourcesFail = list.Count(r => r.Status == ControlStatus.Fail),
                ResourcesError = list.Count(r => r.Status == ControlStatus.Error),
                ResourcesSuppressed = list.Count(r => r.Status == ControlStatus.Suppressed),
                Rules = list.SelectMany(r => r.Rules).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                FailingRules = list.SelectMany(r => r.FailingRules).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            });
        }

        foreach (var wanted in frameworks ?? [])
        {
            var name = catalog.Find(wanted)?.Id ?? wanted;
            if (!byFramework.Keys.Any(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                byFramework[name] = [];
            }
        }

        return byFramework.Select(f =>
        {
            var known = catalog.Find(f.Key);
            var assessed = f.Value.Select(c => c.ControlId).ToHashSet(StringComparer.Ordinal);
            return new FrameworkSummary
            {
                Framework = f.Key,
                Title = known?.Title ?? f.Key,
                Controls = f.Value.OrderBy(c => c.ControlId, NaturalComparer.Instance).ToList(),
                NotCovered = known?.ControlIds.Count(id => !assessed.Contains(id)),
                CatalogControls = known?.ControlIds.Count,
            };
        }).ToList();
    }
}
