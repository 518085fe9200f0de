using Compliance.Functions.Functions;
using Compliance.Functions.Scanning;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using Microsoft.Azure.Functions.Worker;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>Queues deliver at least once and workers run side by side: nothing may happen twice.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task When_the_last_two_scopes_finish_at_the_same_moment_the_run_is_finalised_and_alerted_once()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        for (var round = 1; round <= 3; round++)
        {
            await Task.Delay(TimeSpan.FromDays(1), host.Time);
            var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
            Assert.Equal(4, messages.Length);
            var runId = ScopeMessage.TryParse(messages[0])!.RunId;
            foreach (var message in messages[..2])
            {
                await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
            }

            // Two workers, the last two scopes, started together.
            using var go = new ManualResetEventSlim();
            var last = messages[2..].Select(m => Task.Run(async () =>
            {
                go.Wait();
                await host.Function<ScopeScan>().RunAsync(m, CancellationToken.None);
            })).ToList();
            go.Set();
            await Task.WhenAll(last);

            var run = await host.RunAsync(runId);
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.Single(run.Notifications);
            Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Run {runId} finalised", StringComparison.Ordinal));
            Assert.Single(host.Logs.Entries, e => e.Message.StartsWith($"Evidence of run {runId} written", StringComparison.Ordinal));
        }

        // The first run's problems are all new (one card); later runs change nothing (no card, "skipped").
        Assert.Single(host.Teams.Accepted);
    }

    [Fact]
    public async Task A_message_delivered_twice_at_once_or_again_later_stores_each_finding_once()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var prod = messages.Single(m => m.Contains(Prod, StringComparison.Ordinal));
        var runId = ScopeMessage.TryParse(prod)!.RunId;

        // The same message to two workers at once (its visibility timeout ran out), then once more later.
        await Task.WhenAll(Task.Run(() => host.Function<ScopeScan>().RunAsync(prod, CancellationToken.None)), Task.Run(() => host.Function<ScopeScan>().RunAsync(prod, CancellationToken.None)));
        await host.Function<ScopeScan>().RunAsync(prod, CancellationToken.None);
        var keys = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = runId }).ToListAsync();

        // The same scope scanned once in another run gives as many findings.
        var again = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var once = again.Single(m => m.Contains(Prod, StringComparison.Ordinal));
        await host.Function<ScopeScan>().RunAsync(once, CancellationToken.None);
        var reference = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = ScopeMessage.TryParse(once)!.RunId }).ToListAsync();

        Assert.NotEmpty(keys);
        Assert.Equal(keys.Count, keys.Select(k => k.Finding.FindingId).Distinct().Count());
        Assert.Equal(reference.Select(k => k.Finding.FindingId).Order(), keys.Select(k => k.Finding.FindingId).Order());
        Assert.All(keys, k => Assert.Equal("/subscriptions/" + Prod, k.ScopeId));
        Assert.Equal(ScopeStatus.Ok, (await host.RunAsync(runId)).FindScope("/subscriptions/" + Prod)!.Status);
    }

    [Fact]
    public async Task A_message_for_a_finalised_run_is_done_and_a_message_that_is_not_a_scope_message_is_dropped()
    {
        await using var host = await FunctionsHarness.StartAsync(Contoso());
        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        Assert.True((await host.RunAsync(run.RunId)).IsFinalized);

        await host.Function<ScopeScan>().RunAsync(new ScopeMessage(run.RunId, TenantId, "/subscriptions/" + Prod).ToJson(), CancellationToken.None);
        await host.Function<ScopeScan>().RunAsync("not json", CancellationToken.None);
        await host.Function<PoisonedScope>().RunAsync(new ScopeMessage(run.RunId, TenantId, "/subscriptions/" + Prod).ToJson(), CancellationToken.None);

        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("is already finalised", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith("Dropped a message", StringComparison.Ordinal));
        Assert.Equal(RunStatus.Completed, (await host.RunAsync(run.RunId)).Status);
        Assert.Equal(ScopeStatus.Ok, (await host.RunAsync(run.RunId)).FindScope("/subscriptions/" + Prod)!.Status);
    }
}
