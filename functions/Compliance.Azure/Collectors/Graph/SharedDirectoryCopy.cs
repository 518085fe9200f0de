using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors.Graph;

/// <summary>
/// Writes the directory objects a scan needs from the run's <see cref="SharedDirectory"/> instead of
/// reading Microsoft Graph again: the objects of the plan's Graph types, and the directory scope's
/// status as the directory scan found it. A share that is unavailable, cut short or names no directory
/// scope leaves the directory scope in error — its counts are then lower bounds, never complete.
/// </summary>
internal static class SharedDirectoryCopy
{
    public static async Task<EntraOutcome> CopyAsync(Func<CancellationToken, Task<SharedDirectory>> source, CollectionPlan plan, SnapshotWriter writer, CancellationToken cancellationToken)
    {
        var errors = plan.UnsupportedGraphTypes.Select(CollectionMessages.UnsupportedGraphType).ToList();
        var outcome = new EntraOutcome();
        var shared = await source(cancellationToken).ConfigureAwait(false);
        if (shared.Snapshot is not { } stream)
        {
            outcome.Errors = [.. errors, shared.Unavailable!];
            return outcome;
        }

        var types = plan.Datasets.Select(d => d.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = SnapshotReader.Open(stream, "the run's shared directory", SnapshotFormat.Lines);
            await foreach (var resource in reader.ReadResourcesAsync(cancellationToken).ConfigureAwait(false))
            {
                using (resource)
                {
                    if (types.Contains(resource.Type))
                    {
                        await writer.WriteAsync(resource.Json, null, SnapshotWriter.TypeMode.Keep, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            outcome.TenantId = reader.Header.TenantId;
            var scope = reader.Header.Scopes.FirstOrDefault(s => s.IsTenant);
            outcome.DisplayName = scope?.DisplayName;
            if (reader.Header.Complete is false)
            {
                errors.Add("the directory shared by the run's directory scan is incomplete (no end line): its objects are not all here");
            }
            else if (scope is null)
            {
                errors.Add("the directory shared by the run's directory scan names no directory scope");
            }
            else if (scope.IsError)
            {
                errors.Add(scope.Error ?? "the run's directory scan could not read the directory completely");
            }
        }

        outcome.Errors = errors;
        return outcome;
    }
}
