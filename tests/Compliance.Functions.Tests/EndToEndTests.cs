using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Functions.Functions;
using Compliance.Functions.Scanning;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Evidence;
using Compliance.Reporting.Store;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// A whole scheduled run through the functions, against Azurite and the loopback fakes: timer →
/// one queue message per scope → scope scans (one subscription denied with 403, one whose scan
/// never finishes until its message is poisoned) → one finalisation → one Teams card → evidence
/// downloaded over HTTP and verified as `compliance evidence verify` does. Then a second run whose
/// card Teams first throttles.
/// </summary>
public sealed class EndToEndTests
{
    private static string Sub(string id) => "/subscriptions/" + id;

    [Fact]
    public async Task A_scheduled_run_finalises_once_posts_one_card_and_its_evidence_downloads_and_verifies()
    {
        var tenant = Contoso();
        tenant.ForbiddenSubscriptions.Add(Dev);
        await using var host = await FunctionsHarness.StartAsync(tenant);
        await host.StartHostAsync();

        // Resource Graph never answers for Test: every attempt runs into the function timeout, until the message is poisoned.
        var hang = host.Azure.AddFault(new FakeFault(r => r.IsResourceGraph && r.Body.Contains(Test, StringComparison.Ordinal), int.MaxValue) { Status = 504, Delay = TimeSpan.FromMinutes(5) });

        var run = await host.FireTimerAsync();
        Assert.Equal([Sub(Prod), Sub(Dev), Sub(Test), "/tenants/" + TenantId], run.Scopes.Select(s => s.Id));
        Assert.All(run.Scopes, s => Assert.Equal(ScopeStatus.Pending, s.Status));
        Assert.Equal("timer", run.Trigger);

        await host.DrainQueueAsync(() =>
        {
            var fired = hang.Fired;
            return () => hang.Fired > fired;
        });

        // Test's message failed on every delivery, then went to the poison queue.
        var testAttempts = host.Queue.Attempts.Where(a => a.Message.Contains(Test, StringComparison.Ordinal)).ToList();
        Assert.Equal(host.Queue.MaxDequeueCount, testAttempts.Count);
        Assert.All(testAttempts, a => Assert.NotEqual("ok", a.Result));

        run = await host.RunAsync(run.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(ScopeStatus.Ok, run.FindScope(Sub(Prod))!.Status);
        Assert.Equal(ScopeStatus.Ok, run.FindScope("/tenants/" + TenantId)!.Status);
        Assert.Equal("Contoso", run.FindScope("/tenants/" + TenantId)!.DisplayName);
        var dev = run.FindScope(Sub(Dev))!;
        Assert.Equal(ScopeStatus.Error, dev.Status);
        Assert.Contains("403", dev.Error, StringComparison.Ordinal);
        var test = run.FindScope(Sub(Test))!;
        Assert.Equal(ScopeStatus.Error, test.Status);
        Assert.Contains("poison", test.Error, StringComparison.Ordinal);

        // What could not be read is an error finding each, never compliant.
        var findings = await AllFindingsAsync(host, run.RunId);
        foreach (var failed in new[] { Sub(Dev), Sub(Test) })
        {
            var error = Assert.Single(findings, f => f.Finding.RuleId == ScanEngine.CollectionRuleId && f.Finding.ResourceId == failed);
            Assert.Equal(Outcome.Error, error.Finding.Outcome);
        }

        Assert.DoesNotContain(findings, f => f.Finding.RuleId != ScanEngine.CollectionRuleId && (f.Finding.ResourceId.Contains(Dev, StringComparison.Ordinal) || f.Finding.ResourceId.Contains(Test, StringComparison.Ordinal)));
        Assert.Contains(findings, f => f.Finding.RuleId == "AZ-FW-020" && f.Finding.Outcome == Outcome.Fail);
        Assert.Equal(findings.Count, findings.Select(f => f.Finding.FindingId).Distinct().Count());

        // Exactly one card, for this run, and its result recorded on the run.
        var card = Assert.Single(host.Teams.Accepted);
        Assert.Equal("1.4", card["attachments"]![0]!["content"]!["version"]!.GetValue<string>());
        Assert.Contains(run.RunId, card.ToJsonString(), StringComparison.Ordinal);
        var notification = Assert.Single(run.Notifications);
        Assert.Equal(("teams", NotificationStatus.Accepted), (notification.Channel, notification.Status));

        // A message delivered again and a sweep change nothing: no second card, no duplicate finding.
        await host.Queue.EnqueueAsync([new ScopeMessage(run.RunId, TenantId, Sub(Prod), "Prod").ToJson()]);
        await host.DrainQueueAsync();
        await host.Function<SweepRuns>().RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Single(host.Teams.Accepted);
        Assert.Equal(findings.Count, (await AllFindingsAsync(host, run.RunId)).Count);

        // The evidence, downloaded through the HTTP function, verifies with the signing key.
        var folder = Directory.CreateTempSubdirectory("compliance-evidence-download-").FullName;
        try
        {
            foreach (var file in new[] { "findings.csv", "controls.csv", "controls-summary.csv", "manifest.json" })
            {
                var request = HttpCalls.Get($"/api/runs/{run.RunId}/evidence/{file}");
                var response = await HttpCalls.ExecuteAsync(request, await host.Function<RunsApi>().DownloadEvidenceAsync(request, run.RunId, file, CancellationToken.None));
                Assert.Equal(200, response.Status);
                Assert.StartsWith($"attachment; filename={file}", response.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
                await File.WriteAllBytesAsync(Path.Combine(folder, file), response.Bytes);
            }

            var report = await EvidenceVerifier.VerifyAsync(folder, SigningKey.FromText(FunctionsHarness.SigningKeyText));
            Assert.True(report.Verified, string.Join("\n", report.Problems));
            Assert.True(report.Signed);
            Assert.Equal(run.RunId, report.Manifest!.RunId);
            var csv = await File.ReadAllTextAsync(Path.Combine(folder, "findings.csv"));
            Assert.Contains(ScanEngine.CollectionRuleId, csv, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // No secret in the logs.
        Assert.DoesNotContain(FakeTeams.Signature, host.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(FunctionsHarness.SigningKeyText, host.Logs.AllText, StringComparison.Ordinal);

        // The next run: Test answers again (its problems are new: it was not read before), and Teams throttles the first POST.
        lock (host.Azure.Faults)
        {
            host.Azure.Faults.Remove(hang);
        }

        host.Teams.Script.Enqueue((429, "7"));
        var posts = host.Teams.Posts.Count;
        await Task.Delay(TimeSpan.FromDays(1), host.Time);

        var second = await host.FireTimerAsync();
        await host.DrainQueueAsync();

        second = await host.RunAsync(second.RunId);
        Assert.Equal(RunStatus.Completed, second.Status);
        Assert.Equal(run.RunId, second.PreviousRunId);
        Assert.Equal(2, host.Teams.Accepted.Count);
        Assert.Equal(posts + 2, host.Teams.Posts.Count);
        Assert.Contains(TimeSpan.FromSeconds(7), ((InstantTimeProvider)host.Time).Waits);
        var sent = Assert.Single(second.Notifications);
        Assert.Equal(NotificationStatus.Accepted, sent.Status);
        Assert.Contains("attempt 2", sent.Detail, StringComparison.Ordinal);
        var newFinding = Assert.Single(await AllFindingsAsync(host, second.RunId), f => f.Finding.ResourceName == "sttest0" && f.Finding.RuleId == "AZ-ENC-001");
        Assert.Equal(Reporting.History.HistoryStatus.New, newFinding.Status);
        Assert.Contains("sttest0", host.Teams.Accepted.Last().ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task<List<StoredFinding>> AllFindingsAsync(FunctionsHarness host, string runId)
    {
        var all = new List<StoredFinding>();
        var query = new FindingQuery { RunId = runId, PageSize = 1000 };
        do
        {
            var page = await host.Store.ListFindingsAsync(query);
            all.AddRange(page.Findings);
            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);
        return all;
    }
}
