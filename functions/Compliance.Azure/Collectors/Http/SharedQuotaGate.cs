using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Collectors.Http;

/// <summary>
/// Resource Graph's per-user quota, shared by every instance of the app through one Table entity: a
/// token bucket (Capacity tokens, refilled evenly over Window) updated with optimistic concurrency (the
/// entity's ETag; a conflict means another instance took a token first, so read again), plus the
/// "closed until" time that Resource Graph's quota headers set fleet-wide. If Table storage cannot be
/// reached the gate says so in the log and lets the query go: the service's own throttling (429 with
/// Retry-After, honoured by the retry policy) is the backstop, and a scan never hangs on the gate.
/// </summary>
internal sealed class SharedQuotaGate(TableClient table, QuotaGateOptions options, int reserve, TimeProvider time, ILogger logger) : IQuotaGate
{
    public const string PartitionKey = "quota";
    public const string RowKey = "resourcegraph";
    private const int MaxConflicts = 64;

    /// <summary>Table storage keeps times to the millisecond or so: a refill a hair short of a whole token counts as one.</summary>
    private const double Epsilon = 1e-3;

    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile bool _created;

    public async Task<TimeSpan> WaitAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var conflicts = 0; conflicts < MaxConflicts;)
        {
            Bucket bucket;
            try
            {
                bucket = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                logger.LogWarning("The shared Resource Graph quota in table {Table} cannot be read ({Status} {Code}): this query is not paced fleet-wide", table.Name, ex.Status, ex.ErrorCode);
                return waited;
            }

            var now = time.GetUtcNow();
            var wait = bucket.ClosedUntil > now ? bucket.ClosedUntil - now : TimeSpan.Zero;
            var tokens = Refill(bucket, now);
            if (wait == TimeSpan.Zero && tokens >= 1 - Epsilon)
            {
                try
                {
                    await table.UpdateEntityAsync(bucket.With(Math.Max(0, tokens - 1), now), bucket.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    return waited;
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    conflicts++;
                    continue;
                }
                catch (RequestFailedException ex)
                {
                    logger.LogWarning("The shared Resource Graph quota in table {Table} cannot be updated ({Status} {Code}): this query is not paced fleet-wide", table.Name, ex.Status, ex.ErrorCode);
                    return waited;
                }
            }

            if (wait == TimeSpan.Zero)
            {
                // Until the next token; rounded up (and at least MinWait) so that a rounding error never spins.
                wait = TimeSpan.FromTicks(Math.Max(MinWait.Ticks, (long)Math.Ceiling((1 - tokens) * options.Window.Ticks / options.Capacity)));
            }

            if (waited + wait > options.MaxWait)
            {
                logger.LogWarning("A Resource Graph query waited {Waited} at the shared quota gate (Collectors:QuotaGate:MaxWait {MaxWait}): sent without waiting longer", waited, options.MaxWait);
                return waited;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }

        logger.LogWarning("The shared Resource Graph quota changed under this instance {Conflicts} times in a row: this query is sent without a token", MaxConflicts);
        return waited;
    }

    public async Task ObserveAsync(Func<string, string?> header, CancellationToken cancellationToken)
    {
        var remaining = RetryRules.ParseRemaining(header(RetryRules.QuotaRemainingHeader));
        var reset = RetryRules.ParseResetsAfter(header(RetryRules.QuotaResetsAfterHeader));
        if (remaining is null)
        {
            return;
        }

        for (var conflicts = 0; conflicts < MaxConflicts; conflicts++)
        {
            try
            {
                var bucket = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var tokens = Refill(bucket, now);

                // The service's count is the truth: never hold more tokens than it says are left (other callers of the same identity spend them too).
                var closedUntil = bucket.ClosedUntil;
                if (remaining <= reserve && reset is { } r && now + r > closedUntil)
                {
                    closedUntil = now + r;
                }

                var capped = Math.Min(tokens, Math.Max(0, remaining.Value - reserve));
                if (capped >= tokens && closedUntil == bucket.ClosedUntil)
                {
                    return;
                }

                await table.UpdateEntityAsync(bucket.With(capped, now, closedUntil), bucket.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Another instance wrote in between: read again.
            }
            catch (RequestFailedException ex)
            {
                logger.LogWarning("Resource Graph's quota headers could not be shared through table {Table} ({Status} {Code})", table.Name, ex.Status, ex.ErrorCode);
                return;
            }
        }
    }

    private double Refill(Bucket bucket, DateTimeOffset now)
    {
        var elapsed = now - bucket.RefilledAt;
        var refill = elapsed <= TimeSpan.Zero ? 0 : elapsed.Ticks * (double)options.Capacity / options.Window.Ticks;
        return Math.Min(options.Capacity, bucket.Tokens + refill);
    }

    private async Task<Bucket> ReadAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _create.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_created)
                {
                    await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                    _created = true;
                }
            }
            finally
            {
                _create.Release();
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing.HasValue)
            {
                return Bucket.From(existing.Value!);
            }

            try
            {
                var fresh = new TableEntity(PartitionKey, RowKey)
                {
                    ["Tokens"] = (double)options.Capacity,
                    ["RefilledAt"] = time.GetUtcNow(),
                    ["ClosedUntil"] = DateTimeOffset.UnixEpoch,
                };
                await table.AddEntityAsync(fresh, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 3)
            {
                // Another instance created it first.
            }
        }
    }

    private sealed record Bucket(double Tokens, DateTimeOffset RefilledAt, DateTimeOffset ClosedUntil, ETag ETag)
    {
        public static Bucket From(TableEntity entity) => new(
            entity.GetDouble("Tokens") ?? 0,
            entity.GetDateTimeOffset("RefilledAt") ?? DateTimeOffset.UnixEpoch,
            entity.GetDateTimeOffset("ClosedUntil") ?? DateTimeOffset.UnixEpoch,
            entity.ETag);

        public TableEntity With(double tokens, DateTimeOffset refilledAt, DateTimeOffset? closedUntil = null) => new(PartitionKey, RowKey)
        {
            ["Tokens"] = tokens,
            ["RefilledAt"] = refilledAt,
            ["ClosedUntil"] = closedUntil ?? ClosedUntil,
        };
    }
}
