using System.Text.Json;
using System.Threading.Channels;
using Compliance.Azure.Collectors.Arm;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Collectors.ResourceGraph;
using Compliance.Core.Snapshots;

namespace Compliance.Azure.Collectors;

/// <summary>
/// One collection of subscriptions: Resource Graph queries over batches of subscriptions, then the
/// ARM child lists of the parents those queries return (while the queries go on). Tracks each
/// subscription's status: anything that fails for good marks the subscriptions it concerns as
/// errors, so a partial subscription is never reported complete.
/// </summary>
internal sealed class AzureCollection(
    ResourceGraphClient resourceGraph,
    ArmClient arm,
    ResourceGraphOptions graphOptions,
    ArmOptions armOptions,
    CollectionPlan plan,
    SnapshotWriter writer)
{
    private readonly Dictionary<string, SubscriptionState> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _warnings = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return [.. _warnings];
            }
        }
    }

    public async Task<IReadOnlyList<SnapshotScope>> RunAsync(IReadOnlyList<AzureSubscription> subscriptions, CancellationToken cancellationToken)
    {
        foreach (var subscription in subscriptions)
        {
            _subscriptions.TryAdd(subscription.SubscriptionId, new SubscriptionState(subscription.DisplayName));
        }

        // 1. The subscriptions themselves (resource containers): names, and which ones the identity can read.
        var ids = _subscriptions.Keys.ToList();
        await Parallel.ForEachAsync(
            Batches(ids),
            Options(graphOptions.MaxConcurrency, cancellationToken),
            (batch, token) => new ValueTask(QueryAsync(plan.Queries[0], batch, null, token))).ConfigureAwait(false);
        foreach (var (id, state) in _subscriptions)
        {
            if (!state.Seen && state.Errors.Count == 0)
            {
                state.Errors.Add(CollectionMessages.NotVisible(id));
            }
        }

        // 2. Every other table over the readable subscriptions; ARM child lists start as their parents arrive.
        var readable = _subscriptions.Where(s => s.Value.Errors.Count == 0).Select(s => s.Key).ToList();
        var parents = Channel.CreateUnbounded<ChildRead>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        var children = Parallel.ForEachAsync(
            parents.Reader.ReadAllAsync(cancellationToken),
            Options(armOptions.MaxConcurrency, cancellationToken),
            (read, token) => new ValueTask(ReadChildrenAsync(read, token)));
        try
        {
            var work = plan.Queries.Skip(1).SelectMany(q => Batches(readable).Select(b => (Query: q, Batch: b)));
            await Parallel.ForEachAsync(
                work,
                Options(graphOptions.MaxConcurrency, cancellationToken),
                (item, token) => new ValueTask(QueryAsync(item.Query, item.Batch, parents.Writer, token))).ConfigureAwait(false);
        }
        finally
        {
            parents.Writer.TryComplete();
            await children.ConfigureAwait(false);
        }

        return [.. _subscriptions.Select(s => s.Value.ToScope(s.Key))];
    }

    private static ParallelOptions Options(int degree, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, degree), CancellationToken = cancellationToken };

    private IEnumerable<IReadOnlyList<string>> Batches(IReadOnlyList<string> ids) =>
        ids.Chunk(Math.Max(1, graphOptions.SubscriptionBatchSize));

    private async Task QueryAsync(ResourceGraphQuery query, IReadOnlyList<string> batch, ChannelWriter<ChildRead>? parents, CancellationToken cancellationToken)
    {
        var pages = 0;
        try
        {
            await foreach (var page in resourceGraph.QueryAsync(batch, query, cancellationToken).ConfigureAwait(false))
            {
                using (page)
                {
                    pages++;
                    await writer.WriteAsync(page.Rows.EnumerateArray(), null, SnapshotWriter.TypeMode.Keep, cancellationToken).ConfigureAwait(false);
                    foreach (var row in page.Rows.EnumerateArray())
                    {
                        Observe(row, query, parents);
                    }
                }
            }
        }
        catch (AzureCallException ex) when (pages == 0 && batch.Count > 1 && ex is { Kind: FailureKind.Status, Status: 400 or 403 or 404 })
        {
            // One subscription the identity cannot read can fail a whole batch: ask one by one, so
            // that only that subscription is reported and the others are still read.
            foreach (var single in batch)
            {
                await QueryAsync(query, [single], parents, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AzureCallException ex)
        {
            var what = $"Resource Graph table {query.Table} ({string.Join(", ", query.Types)})";
            foreach (var id in batch)
            {
                Fail(id, name => CollectionMessages.SubscriptionFailed(CollectionMessages.Subscription(id, name), what, ex));
            }
        }
    }

    private void Observe(JsonElement row, ResourceGraphQuery query, ChannelWriter<ChildRead>? parents)
    {
        var type = row.GetProperty("type").GetString()!;
        var id = row.GetProperty("id").GetString()!;
        if (query.Table == ResourceGraphTables.ResourceContainers && type.Equals(ResourceGraphTables.SubscriptionType, StringComparison.OrdinalIgnoreCase))
        {
            var subscriptionId = ResourceIds.SubscriptionOf(id);
            if (subscriptionId is not null)
            {
                lock (_lock)
                {
                    if (_subscriptions.TryGetValue(subscriptionId, out var state))
                    {
                        state.Seen = true;
                        state.DisplayName ??= row.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
                    }
                }
            }
        }

        if (parents is not null && plan.ParentTypes.Contains(type))
        {
            foreach (var child in plan.Children.Where(c => c.ParentType.Equals(type, StringComparison.OrdinalIgnoreCase)))
            {
                parents.TryWrite(new ChildRead(child, id));
            }
        }
    }

    private async Task ReadChildrenAsync(ChildRead read, CancellationToken cancellationToken)
    {
        var subscriptionId = ResourceIds.SubscriptionOf(read.ParentId) ?? string.Empty;
        var what = $"{read.Child.Segment} of '{read.ParentId}'";
        try
        {
            await foreach (var page in arm.ListAsync(read.Child.PathFor(read.ParentId), what, typeRequired: false, cancellationToken).ConfigureAwait(false))
            {
                using (page)
                {
                    await writer.WriteAsync(page.Items, read.Child.Type, SnapshotWriter.TypeMode.Default, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (AzureCallException ex) when (ex is { Kind: FailureKind.Status, Status: 404 })
        {
            // The parent went away between the Resource Graph query and this call.
            lock (_lock)
            {
                _warnings.Add($"{read.ParentId} was not found when reading its {read.Child.Segment} (deleted during the collection?)");
            }
        }
        catch (AzureCallException ex)
        {
            Fail(subscriptionId, name => CollectionMessages.SubscriptionFailed(CollectionMessages.Subscription(subscriptionId, name), $"{read.Child.Type} of '{ResourceIds.LastSegment(read.ParentId)}'", ex));
        }
    }

    private void Fail(string subscriptionId, Func<string?, string> message)
    {
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(subscriptionId, out var state))
            {
                var text = message(state.DisplayName);
                if (!state.Errors.Contains(text))
                {
                    state.Errors.Add(text);
                }
            }
        }
    }

    private sealed record ChildRead(ArmChildType Child, string ParentId);

    private sealed class SubscriptionState(string? displayName)
    {
        private const int MaxErrorsShown = 3;

        public string? DisplayName { get; set; } = displayName;

        public bool Seen { get; set; }

        public List<string> Errors { get; } = [];

        public SnapshotScope ToScope(string id)
        {
            var scopeId = ResourceIds.SubscriptionScopeId(id);
            if (Errors.Count == 0)
            {
                return new SnapshotScope(scopeId, SnapshotScope.Ok, null, DisplayName);
            }

            var shown = string.Join("; ", Errors.Take(MaxErrorsShown));
            var more = Errors.Count > MaxErrorsShown ? $"; and {Errors.Count - MaxErrorsShown} more failure(s)" : string.Empty;
            return new SnapshotScope(scopeId, SnapshotScope.Failed, shown + more, DisplayName);
        }
    }
}
