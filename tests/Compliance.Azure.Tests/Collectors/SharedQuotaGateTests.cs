using System.Collections.Concurrent;
using Azure.Data.Tables;
using Compliance.Azure.Collectors;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Tests.Collectors.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>
/// Two instances of the app (two gates, each with its own Table client) share one Resource Graph
/// quota bucket in Azurite: together they never take more than the bucket holds plus what the
/// window refills, and a quota header seen by one closes the gate for both.
/// </summary>
public sealed class SharedQuotaGateTests : IAsyncLifetime
{
    private readonly string _table = "Quota" + Guid.NewGuid().ToString("N")[..12];
    private readonly InstantTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await new TableClient(AzuriteConnection.Get(), _table).DeleteAsync();

    [Fact]
    public async Task Two_instances_together_take_no_more_than_the_bucket_holds_and_its_refill()
    {
        var options = new QuotaGateOptions { Capacity = 5, Window = TimeSpan.FromSeconds(5) };
        var (a, b) = (Gate(options), Gate(options));
        var start = _time.GetUtcNow();
        var grants = new ConcurrentQueue<DateTimeOffset>();

        // Twenty queries at once, ten on each instance.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await (i % 2 == 0 ? a : b).WaitAsync(CancellationToken.None);
            grants.Enqueue(_time.GetUtcNow());
        })));

        Assert.Equal(20, grants.Count);

        // Every grant took a token: by each grant's time, no more than capacity + refill had been handed out.
        var ordered = grants.Order().ToList();
        for (var n = 0; n < ordered.Count; n++)
        {
            var allowed = options.Capacity + ((ordered[n] - start).Ticks * (double)options.Capacity / options.Window.Ticks);
            Assert.True(n + 1 <= allowed + 1e-2, $"grant {n + 1} at +{ordered[n] - start} exceeds the shared bucket ({allowed:0.##} allowed)");
        }

        // Uncoordinated (one bucket per instance) they would have taken 10 at once; shared, the first five went at once and the rest waited.
        Assert.Equal(options.Capacity, ordered.Count(t => t == start));
        Assert.True(ordered[^1] - start >= TimeSpan.FromSeconds(3 * 5 * 0.99), $"the last grant came at +{ordered[^1] - start}");
    }

    [Fact]
    public async Task Quota_headers_seen_by_one_instance_close_the_gate_for_the_other_until_the_reset()
    {
        var options = new QuotaGateOptions { Capacity = 15, Window = TimeSpan.FromSeconds(5) };
        var (a, b) = (Gate(options, reserve: 1), Gate(options, reserve: 1));
        Assert.Equal(TimeSpan.Zero, await a.WaitAsync(CancellationToken.None));

        // Resource Graph's answer to a query of instance A: one query left, the window resets in 7 seconds.
        await a.ObserveAsync(Headers("1", "00:00:07"), CancellationToken.None);

        var waited = await b.WaitAsync(CancellationToken.None);
        Assert.True(waited >= TimeSpan.FromSeconds(7), $"instance B waited {waited}");
    }

    [Fact]
    public async Task A_lower_remaining_count_from_the_service_drains_the_shared_bucket()
    {
        var options = new QuotaGateOptions { Capacity = 15, Window = TimeSpan.FromSeconds(5) };
        var (a, b) = (Gate(options), Gate(options));
        await a.WaitAsync(CancellationToken.None);

        // Other callers of the same identity spent the quota: 2 left, more than the reserve (0), so no closing — but only 2 tokens.
        await a.ObserveAsync(Headers("2", "00:00:04"), CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, await b.WaitAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.Zero, await b.WaitAsync(CancellationToken.None));
        Assert.True(await b.WaitAsync(CancellationToken.None) > TimeSpan.Zero);
    }

    [Fact]
    public async Task An_unreachable_table_lets_the_query_go_and_says_so()
    {
        var unreachable = new TableClient(new Uri("http://127.0.0.1:9/devstoreaccount1"), _table, new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])), new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } });
        var gate = new SharedQuotaGate(unreachable, new QuotaGateOptions(), 0, _time, NullLogger.Instance);

        Assert.Equal(TimeSpan.Zero, await gate.WaitAsync(CancellationToken.None));
    }

    private SharedQuotaGate Gate(QuotaGateOptions options, int reserve = 0) =>
        new(new TableClient(AzuriteConnection.Get(), _table), options, reserve, _time, NullLogger.Instance);

    private static Func<string, string?> Headers(string remaining, string resetsAfter) => name => name switch
    {
        RetryRules.QuotaRemainingHeader => remaining,
        RetryRules.QuotaResetsAfterHeader => resetsAfter,
        _ => null,
    };
}
