using System.Text.Json;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Azure.Tests.Collectors;

public sealed class ResourceGraphCollectionTests
{
    private static readonly string[] StorageOnly = ["Microsoft.Storage/storageAccounts"];

    private static CollectionRequest Request(IReadOnlyList<string>? subscriptions = null, params string[] types) => new()
    {
        Subscriptions = subscriptions,
        IncludeEntra = false,
        ResourceTypes = types.Length == 0 ? StorageOnly : types,
    };

    [Fact]
    public async Task Reads_every_page_of_every_subscription_into_a_snapshot_the_engine_reads()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(storagePerSubscription: 7), s => s.Configure<ResourceGraphOptions>(o => o.PageSize = 3));

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(21, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.Equal(3, collected.IdsOfType("microsoft.resources/subscriptions").Count());
        Assert.All(collected.Header.Scopes, s => Assert.Equal("ok", s.Status));
        Assert.Equal(["Dev", "Prod", "Test"], collected.Header.Scopes.Select(s => s.DisplayName).Order());
        Assert.Equal(CollectorHarness.Now, collected.Header.CollectedAt);
        Assert.Equal(TenantId, collected.Header.TenantId);
        Assert.True(collected.Result.IsComplete);

        // 21 storage rows at 3 a page: 7 pages; the subscriptions: 1 page.
        var graphRequests = harness.Fake.Requests.Where(r => r.IsResourceGraph).ToList();
        Assert.Equal(8, graphRequests.Count);
        Assert.Equal(8, collected.Result.Statistics.ResourceGraphRequests);
        var bodies = graphRequests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(bodies, b =>
        {
            Assert.Equal(3, b.GetProperty("options").GetProperty("$top").GetInt32());
            Assert.Equal("objectArray", b.GetProperty("options").GetProperty("resultFormat").GetString());
            Assert.Equal(3, b.GetProperty("subscriptions").GetArrayLength());
        });
        Assert.Equal(6, bodies.Count(b => b.GetProperty("options").TryGetProperty("$skipToken", out _)));
        Assert.All(graphRequests, r => Assert.Equal("management.azure.com", r.Host));
        Assert.All(graphRequests, r => Assert.Equal("Bearer fake-token", r.Authorization));
        Assert.Contains("https://management.azure.com/.default", harness.Credential.Scopes);
    }

    [Fact]
    public async Task Subscriptions_are_queried_in_batches()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(), s => s.Configure<ResourceGraphOptions>(o => o.SubscriptionBatchSize = 2));

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(9, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        var batches = harness.Fake.Requests.Where(r => r.IsResourceGraph)
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("subscriptions").GetArrayLength()).Order().ToList();
        Assert.Equal([1, 1, 2, 2], batches);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_then_the_page_is_read()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        var fault = harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains("storageaccounts", StringComparison.Ordinal))
        {
            Status = 429,
            ErrorCode = "RateLimiting",
            Headers = { ["Retry-After"] = "7" },
        });

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(1, fault.Fired);
        Assert.True(collected.Result.IsComplete);
        Assert.Equal(9, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.Contains(TimeSpan.FromSeconds(7), harness.Time.Waits);
        Assert.Equal(1, collected.Result.Statistics.Retries);
        Assert.Equal(1, collected.Result.Statistics.ThrottledWaits);
    }

    [Fact]
    public async Task The_quota_headers_hold_the_next_query_until_the_quota_resets()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(), s => s.Configure<ResourceGraphOptions>(o => o.MaxConcurrency = 1));
        harness.Fake.QuotaRemaining = 0;

        var collected = await harness.CollectAsync(Request());

        Assert.True(collected.Result.IsComplete);

        // The fake says "0 left, resets after 00:00:05" with every answer: each following query waits 5 s.
        Assert.Contains(TimeSpan.FromSeconds(5), harness.Time.Waits);
        Assert.True(collected.Result.Statistics.ThrottledWaits >= 1);
    }

    [Fact]
    public async Task A_500_is_retried_then_the_page_is_read()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        var fault = harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph, times: 2) { Status = 500 });

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(2, fault.Fired);
        Assert.True(collected.Result.IsComplete);
        Assert.Equal(9, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.Equal(2, collected.Result.Statistics.Retries);
    }

    [Fact]
    public async Task A_500_that_persists_marks_the_batch_as_error_never_as_complete()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());
        harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains("storageaccounts", StringComparison.Ordinal), times: int.MaxValue) { Status = 503, ErrorCode = "ServiceUnavailable" });

        var collected = await harness.CollectAsync(Request());

        Assert.False(collected.Result.IsComplete);
        var prod = collected.Scope("/subscriptions/" + Prod);
        Assert.Equal("error", prod.Status);
        Assert.Contains("subscription 'Prod'", prod.Error, StringComparison.Ordinal);
        Assert.Contains("503", prod.Error, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", prod.Error, StringComparison.Ordinal);
        Assert.Contains("try again later", prod.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_403_on_one_subscription_fails_only_that_subscription()
    {
        var tenant = Contoso();
        tenant.ForbiddenSubscriptions.Add(Dev);
        await using var harness = await CollectorHarness.StartAsync(tenant);

        var collected = await harness.CollectAsync(Request([Prod, Dev, Test]));

        var dev = collected.Scope("/subscriptions/" + Dev);
        Assert.Equal("error", dev.Status);
        Assert.StartsWith($"403 on subscription {Dev}: the scanner's identity needs Reader", dev.Error, StringComparison.Ordinal);
        Assert.Contains("AuthorizationFailed", dev.Error, StringComparison.Ordinal);
        Assert.Equal("ok", collected.Scope("/subscriptions/" + Prod).Status);
        Assert.Equal("ok", collected.Scope("/subscriptions/" + Test).Status);
        Assert.Equal(6, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.DoesNotContain(collected.Resources, r => r.Id.Contains(Dev, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscription_Resource_Graph_does_not_return_is_reported_not_visible()
    {
        const string Unknown = "99999999-0000-0000-0000-000000000009";
        await using var harness = await CollectorHarness.StartAsync(Contoso());

        var collected = await harness.CollectAsync(Request([Prod, Unknown.ToUpperInvariant()]));

        var unknown = collected.Scope("/subscriptions/" + Unknown);
        Assert.Equal("error", unknown.Status);
        Assert.Contains("is not visible to the scanner's identity: assign it Reader", unknown.Error, StringComparison.Ordinal);
        Assert.Equal("ok", collected.Scope("/subscriptions/" + Prod).Status);
    }

    [Fact]
    public async Task A_timeout_that_persists_marks_the_subscriptions_as_error()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(), s => s.Configure<CollectorRetryOptions>(o =>
        {
            o.MaxRetries = 1;
            o.NetworkTimeout = TimeSpan.FromMilliseconds(300);
        }));
        harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains("storageaccounts", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 200,
            Body = "{}",
            Delay = TimeSpan.FromSeconds(5),
        });

        var collected = await harness.CollectAsync(Request());

        var prod = collected.Scope("/subscriptions/" + Prod);
        Assert.Equal("error", prod.Status);
        Assert.Contains("did not answer in time after 2 attempts", prod.Error, StringComparison.Ordinal);

        // The subscriptions themselves (another query) were still read.
        Assert.Equal(3, collected.IdsOfType("microsoft.resources/subscriptions").Count());
    }

    [Fact]
    public async Task A_garbled_page_is_fetched_again()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(storagePerSubscription: 4), s => s.Configure<ResourceGraphOptions>(o => o.PageSize = 5));
        var fault = harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains("$skipToken", StringComparison.Ordinal))
        {
            Status = 200,
            Body = "{\"totalRecords\": 12, \"count\": 5, \"data\": [ {\"id\": \"/subscriptions/",
        });

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(1, fault.Fired);
        Assert.True(collected.Result.IsComplete);
        Assert.Equal(12, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
    }

    [Fact]
    public async Task A_page_that_stays_garbled_marks_the_scope_as_error_even_after_earlier_pages()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso(storagePerSubscription: 4), s => s.Configure<ResourceGraphOptions>(o => o.PageSize = 5));
        harness.Fake.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains("$skipToken", StringComparison.Ordinal), times: int.MaxValue)
        {
            Status = 200,
            Body = "{\"data\": [ {\"name\": \"no id\", \"type\": \"microsoft.storage/storageaccounts\"} ]}",
        });

        var collected = await harness.CollectAsync(Request());

        // The first page was written, the second never arrived: every subscription of the batch is incomplete.
        Assert.Equal(5, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.All(collected.Header.Scopes, s => Assert.Equal("error", s.Status));
        Assert.Contains("cannot be read", collected.Scope("/subscriptions/" + Test).Error, StringComparison.Ordinal);
        Assert.Contains("has no 'id'", collected.Scope("/subscriptions/" + Test).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_subscription_the_identity_sees_is_read_when_none_are_named()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());

        var collected = await harness.CollectAsync(Request());

        Assert.Equal(["/subscriptions/" + Prod, "/subscriptions/" + Dev, "/subscriptions/" + Test], collected.Header.Scopes.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Contains(harness.Fake.Requests, r => r.IsArm && r.Path == "/subscriptions");
    }

    [Fact]
    public async Task The_JSON_Lines_form_is_written_and_read_back()
    {
        await using var harness = await CollectorHarness.StartAsync(Contoso());

        var collected = await harness.CollectAsync(Request() with { Format = SnapshotFormat.Lines });

        Assert.Equal(9, collected.IdsOfType("microsoft.storage/storageaccounts").Count());
        Assert.Equal(3, collected.Header.Scopes.Count);
        Assert.Equal(TenantId, collected.Header.TenantId);
        var lines = System.Text.Encoding.UTF8.GetString(collected.Bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 12 + 3 + 1, lines.Length);
        Assert.Equal("""{"end":{"resources":12,"scopes":3}}""", lines[^1]);
        Assert.True(collected.Header.Complete);
    }
}
