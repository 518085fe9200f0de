using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Functions.Functions;
using Compliance.Functions.Scanning;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>A scope that never reports (its message lost, its worker gone) must not keep a run open forever.</summary>
public sealed class StuckRunTests
{
    [Fact]
    public async Task A_run_whose_scope_never_reports_is_finalised_as_incomplete_after_the_timeout()
    {
        var time = new FakeTimeProvider(FunctionsHarness.Start);
        await using var host = await FunctionsHarness.StartAsync(Contoso(), s => { s["Scan:StuckRunTimeout"] = "02:00:00"; UnboundedQuota(s); }, time);
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var runId = ScopeMessage.TryParse(messages[0])!.RunId;
        var lost = messages.Single(m => m.Contains(Test, StringComparison.Ordinal));
        foreach (var message in messages.Where(m => m != lost))
        {
            await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
        }

        // Before the timeout the sweep leaves the run alone.
        time.Advance(TimeSpan.FromMinutes(119));
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(RunStatus.Running, (await host.RunAsync(runId)).Status);

        time.Advance(TimeSpan.FromMinutes(2));
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);

        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal(ScopeStatus.Pending, run.FindScope("/subscriptions/" + Test)!.Status);
        var error = Assert.Single((await host.Store.ListFindingsAsync(new FindingQuery { RunId = runId, Outcomes = [Outcome.Error] })).Findings, f => f.Finding.RuleId == ScanEngine.CollectionRuleId);
        Assert.Equal("/subscriptions/" + Test, error.Finding.ResourceId);
        Assert.Contains("did not report within 02:00:00", error.Finding.Reason, StringComparison.Ordinal);
        Assert.Single(host.Teams.Accepted);
        Assert.Contains("incomplete", host.Teams.Accepted.Single().ToJsonString(), StringComparison.Ordinal);

        // The lost message turning up late changes nothing.
        await host.Function<ScopeScan>().RunAsync(lost, CancellationToken.None);
        Assert.Equal(RunStatus.Incomplete, (await host.RunAsync(runId)).Status);
        Assert.Single(host.Teams.Accepted);
    }

    [Fact]
    public async Task A_finalisation_whose_worker_died_is_taken_over_once_its_claim_expires()
    {
        var time = new FakeTimeProvider(FunctionsHarness.Start);
        await using var host = await FunctionsHarness.StartAsync(Contoso(), UnboundedQuota, time);
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var runId = ScopeMessage.TryParse(messages[0])!.RunId;
        foreach (var message in messages[..^1])
        {
            await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
        }

        // The last scope reports and its worker claims the finalisation, then dies.
        var last = ScopeMessage.TryParse(messages[^1])!;
        await host.Store.CompleteScopesAsync(runId, [new ScopeCompletion(last.ScopeId, ScopeStatus.Ok, time.GetUtcNow())]);
        Assert.True(await host.Services.GetRequiredService<RunFinalizer>().TryClaimAsync(runId));

        time.Advance(TimeSpan.FromMinutes(5));
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(RunStatus.Finalizing, (await host.RunAsync(runId)).Status);

        time.Advance(TimeSpan.FromMinutes(6));
        await host.Function<SweepRuns>().RunAsync(new TimerInfo(), CancellationToken.None);
        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Single(run.Notifications);
        Assert.Single(host.Teams.Accepted);
    }

    // This clock moves only when a test advances it, so the fleet's Resource Graph bucket (15 queries per
    // 5 s) would never refill and a scan needing more queries than that would wait for ever: these tests
    // are about claims and sweeps, not quotas (FleetQuotaTests and DirectoryShareTests are).
    private static void UnboundedQuota(Dictionary<string, string?> settings)
    {
        settings["Collectors:QuotaGate:Capacity"] = "1000";
        settings["Collectors:QuotaGate:Window"] = "365.00:00:00";
    }
}
