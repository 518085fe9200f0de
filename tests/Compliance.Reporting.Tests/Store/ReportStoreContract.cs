using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Reporting.History;
using Compliance.Reporting.Runs;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Compliance.Reporting.Tests.Store.StoreTestData;

namespace Compliance.Reporting.Tests.Store;

/// <summary>
/// What every report store does, run against each implementation (SQLite here, Azure Tables and
/// Blobs against Azurite in Compliance.Azure.Tests): one contract, two stores.
/// </summary>
public abstract class ReportStoreContract : IAsyncLifetime
{
    private IReportStore? _store;

    protected FakeTimeProvider Time { get; } = new(T0);

    protected IReportStore Store => _store ?? throw new InvalidOperationException("not initialised");

    private RunFinalizer Finalizer => new(Store, Time, Options.Create(new ReportStoreOptions()));

    private RunRetention Retention(TimeSpan retention) =>
        new(Store, new RunOutputs([], NullLogger<RunOutputs>.Instance), Options.Create(new ReportStoreOptions { Retention = retention }), Time, NullLogger<RunRetention>.Instance);

    private Task<RunRecord> CompleteAsync(string runId, ScopeCompletion completion) => Store.CompleteScopesAsync(runId, [completion]);

    private async Task<List<FindingKey>> KeysAsync(string runId) =>
        (await ReadAllAsync(new FindingQuery { RunId = runId })).Select(f => new FindingKey(
            f.Finding.FindingId, f.Finding.RuleId, f.Finding.PackId, f.Finding.ResourceId, f.ScopeId, f.Finding.Outcome, f.Finding.Severity, f.Status, f.Carried, string.Empty)).ToList();

    /// <summary>A claim as the finaliser makes it, at a given time with a given lease.</summary>
    private async Task<bool> ClaimAsync(string runId, DateTimeOffset now, TimeSpan lease)
    {
        var run = await Store.GetRunAsync(runId) ?? throw new ReportStoreException($"run '{runId}' does not exist");
        return RunFinalizer.IsClaimable(run, now, lease)
               && await Store.TryUpdateRunAsync(runId, run.Version, new RunChange { Status = RunStatus.Finalizing, ClaimedAt = now });
    }

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DeleteStoreAsync(_store);
        }
    }

    protected abstract Task<IReportStore> CreateStoreAsync();

    protected abstract Task DeleteStoreAsync(IReportStore store);

    [Fact]
    public async Task A_created_run_is_running_with_its_expected_scopes_pending()
    {
        var run = await Store.CreateRunAsync(Run("run-1", T0));

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(Tenant, run.TenantId);
        Assert.Equal(T0, run.StartedAt);
        Assert.Equal([Prod, Dev], run.Scopes.Select(s => s.Id));
        Assert.All(run.Scopes, s => Assert.Equal(ScopeStatus.Pending, s.Status));
        Assert.Equal("Northwind Production", run.Scopes[0].DisplayName);
        Assert.Equal("azure-encryption", Assert.Single(run.Packs).Id);
        Assert.Equal(3, run.RuleIds.Count);
        Assert.False(run.AllScopesDone);
        Assert.Equivalent(run, await Store.GetRunAsync("run-1"), strict: true);
    }

    [Fact]
    public async Task Creating_the_same_run_again_keeps_one_run_and_the_progress_of_its_scopes()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddMinutes(1)));

        var again = await Store.CreateRunAsync(Run("run-1", T0.AddHours(1)));

        Assert.Equal(T0, again.StartedAt);
        Assert.Equal(ScopeStatus.Ok, again.FindScope(Prod)!.Status);
        Assert.Single(await Store.ListRunsAsync(new RunQuery()));
    }

    [Fact]
    public async Task A_run_id_that_is_not_safe_as_a_key_is_refused()
    {
        await Assert.ThrowsAsync<ReportStoreException>(() => Store.CreateRunAsync(Run("run/1#?", T0)));
    }

    [Fact]
    public async Task Saving_the_same_findings_again_stores_each_finding_once()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        var findings = Enumerable.Range(0, 30).Select(i => Finding("AZ-ENC-001", Resource(Prod, $"st{i:00}"), Outcome.Fail)).ToList();

        await Store.SaveFindingsAsync("run-1", findings);
        await Store.SaveFindingsAsync("run-1", findings);
        await Store.SaveFindingsAsync("run-1", findings.Take(10).Select(f => f with { Outcome = Outcome.Pass }).ToList());

        var keys = await KeysAsync("run-1");
        Assert.Equal(30, keys.Count);
        Assert.Equal(30, keys.Select(k => k.FindingId).Distinct().Count());
        Assert.Equal(10, keys.Count(k => k.Outcome == Outcome.Pass));
        Assert.Equal(keys.Select(k => k.FindingId), (await KeysAsync("run-1")).Select(k => k.FindingId));
    }

    [Fact]
    public async Task A_finding_round_trips_with_every_field_even_hostile_text()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        var hostile = Finding("AZ-ENC-001", Resource(Prod, "=cmd|' /C calc'!A0"), Outcome.Suppressed) with
        {
            ResourceName = "=HYPERLINK(\"http://evil.example\")\t\r\n\"quoted\" 名前 😀",
            Message = "Storage account '=HYPERLINK(…)' accepts TLS1_0 <script>",
            Tags = new Dictionary<string, string> { ["owner"] = "@evil", ["cost,center"] = "-1+1" },
            SuppressionJustification = "Legacy client; replacement CHG-1234 (owner: alice@northwind.example)",
            SuppressionExpiresOn = T0.AddDays(30),
        };

        await Store.SaveFindingsAsync("run-1", [hostile]);
        var stored = Assert.Single(await Store.GetFindingsAsync("run-1", [hostile.FindingId]));

        Assert.Equal(FindingJson.Serialize(hostile), FindingJson.Serialize(stored.Finding));
        Assert.Equal(Prod, stored.ScopeId);
        Assert.Null(stored.Status);
        Assert.False(stored.Carried);
    }

    [Fact]
    public async Task A_finding_too_large_for_a_table_row_round_trips()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        var big = Finding("AZ-ENC-001", Resource(Prod, "big"), Outcome.Fail) with
        {
            Evidence = Enumerable.Range(0, 200).Select(i => new EvidenceItem($"properties.rules[{i}]", new string('x', 500), "y", false, $"rule {i} is open")).ToList(),
        };

        await Store.SaveFindingsAsync("run-1", [big]);

        var page = await Store.ListFindingsAsync(new FindingQuery { RunId = "run-1" });
        Assert.Equal(FindingJson.Serialize(big), FindingJson.Serialize(Assert.Single(page.Findings).Finding));
    }

    [Fact]
    public async Task Completing_scopes_is_recorded_idempotent_and_adds_scopes_the_run_did_not_expect()
    {
        await Store.CreateRunAsync(Run("run-1", T0));

        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddMinutes(1)));
        await CompleteAsync("run-1", new ScopeCompletion(Prod.ToUpperInvariant(), ScopeStatus.Ok, T0.AddMinutes(1)));
        var afterDev = await CompleteAsync("run-1", new ScopeCompletion(Dev, ScopeStatus.Error, T0.AddMinutes(2), "403 AuthorizationFailed"));
        Assert.True(afterDev.AllScopesDone);

        var run = await CompleteAsync("run-1", new ScopeCompletion(Entra, ScopeStatus.Ok, T0.AddMinutes(3), DisplayName: "Entra ID"));

        Assert.Equal([Prod, Dev, Entra], run.Scopes.Select(s => s.Id));
        Assert.Equal(ScopeStatus.Error, run.FindScope(Dev)!.Status);
        Assert.Equal("403 AuthorizationFailed", run.FindScope(Dev)!.Error);
        Assert.Equal(T0.AddMinutes(2), run.FindScope(Dev)!.CompletedAt);
        Assert.Equal("Entra ID", run.FindScope(Entra)!.DisplayName);
        Assert.Equal("Northwind Production", run.FindScope(Prod)!.DisplayName);
    }

    [Fact]
    public async Task A_scope_reported_again_keeps_its_worst_status_and_every_error()
    {
        await Store.CreateRunAsync(Run("run-1", T0));

        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Error, T0, "403 on page 2"));
        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddMinutes(1)));
        var run = await Store.CompleteScopesAsync("run-1", [new ScopeCompletion(Dev, ScopeStatus.Ok, T0), new ScopeCompletion(Dev, ScopeStatus.Error, T0, "timeout"), new ScopeCompletion(Dev, ScopeStatus.Error, T0, "403")]);

        Assert.Equal((ScopeStatus.Error, "403 on page 2"), (run.FindScope(Prod)!.Status, run.FindScope(Prod)!.Error));
        Assert.Equal((ScopeStatus.Error, "timeout; 403"), (run.FindScope(Dev)!.Status, run.FindScope(Dev)!.Error));
    }

    [Fact]
    public async Task A_run_changes_only_from_the_version_it_was_read_at()
    {
        var run = await Store.CreateRunAsync(Run("run-1", T0));

        Assert.True(await Store.TryUpdateRunAsync("run-1", run.Version, new RunChange { Provenance = new RunProvenance { SnapshotSha256 = "ab" } }));
        Assert.False(await Store.TryUpdateRunAsync("run-1", run.Version, new RunChange { Status = RunStatus.Abandoned, AbandonedReason = "stale" }));
        Assert.False(await Store.TryUpdateRunAsync("nope", run.Version, new RunChange { Status = RunStatus.Abandoned }));
        var now = (await Store.GetRunAsync("run-1"))!;
        Assert.Equal((RunStatus.Running, "ab"), (now.Status, now.Provenance.SnapshotSha256));
        Assert.NotEqual(run.Version, now.Version);
        Assert.True(await Store.TryUpdateRunAsync("run-1", now.Version, new RunChange { Status = RunStatus.Abandoned, AbandonedReason = "killed" }));
        Assert.Equal(("killed", RunStatus.Abandoned), ((await Store.GetRunAsync("run-1"))!.AbandonedReason, (await Store.GetRunAsync("run-1"))!.Status));
        await Assert.ThrowsAsync<ReportStoreException>(() => Store.SaveFindingsAsync("run-1", [Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail)]));
    }

    [Fact]
    public async Task A_first_run_makes_every_problem_new_and_leaves_passes_without_status()
    {
        // SQLite marks a first run in one statement, Table storage through the merge: the same answer.
        await Store.CreateRunAsync(Run("run-1", T0, Tenant, Prod, Dev));
        await Store.SaveFindingsAsync("run-1", [
            Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail),
            Finding("AZ-ENC-001", Resource(Prod, "st2"), Outcome.Pass),
            Finding("AZ-ENC-002", Resource(Prod, "st1"), Outcome.Error),
            Finding("AZ-ENC-003", Resource(Dev, "st3"), Outcome.Suppressed),
            Finding("AZ-ENC-002", Resource(Dev, "st3"), Outcome.Pass)]);
        await Store.CompleteScopesAsync("run-1", [new ScopeCompletion(Prod, ScopeStatus.Ok, T0), new ScopeCompletion(Dev, ScopeStatus.Ok, T0)]);

        var run = await Finalizer.TryFinalizeAsync("run-1");

        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Null(run.PreviousRunId);
        Assert.Equal(new RunCounts { Total = 5, Pass = 2, Fail = 1, Error = 1, Suppressed = 1, New = 3 }, run.Counts);
        var statuses = new Dictionary<string, HistoryStatus?>();
        await foreach (var stored in Store.ReadFindingsAsync(new FindingQuery { RunId = "run-1" }))
        {
            statuses[$"{stored.Finding.RuleId} {stored.Finding.ResourceName} {stored.Finding.Outcome.ToWire()}"] = stored.Status;
        }

        Assert.Equal(
            new Dictionary<string, HistoryStatus?>
            {
                ["AZ-ENC-001 st1 fail"] = HistoryStatus.New,
                ["AZ-ENC-001 st2 pass"] = null,
                ["AZ-ENC-002 st1 error"] = HistoryStatus.New,
                ["AZ-ENC-003 st3 suppressed"] = HistoryStatus.New,
                ["AZ-ENC-002 st3 pass"] = null,
            },
            statuses);
    }

    [Fact]
    public async Task Writing_to_an_unknown_or_finalised_run_is_refused()
    {
        var finding = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail);
        await Assert.ThrowsAsync<ReportStoreException>(() => Store.SaveFindingsAsync("nope", [finding]));
        await Assert.ThrowsAsync<ReportStoreException>(() => ClaimAsync("nope", T0, TimeSpan.FromMinutes(5)));
        Assert.Null(await Store.GetRunAsync("nope"));

        await Store.CreateRunAsync(Run("run-1", T0, Tenant, Prod));
        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Ok, T0));
        Assert.NotNull(await Finalizer.TryFinalizeAsync("run-1"));

        await Assert.ThrowsAsync<ReportStoreException>(() => Store.SaveFindingsAsync("run-1", [finding]));
        await Assert.ThrowsAsync<ReportStoreException>(() => CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Error, T0)));
    }

    [Fact]
    public async Task Exactly_one_of_many_concurrent_claims_wins_and_a_finalised_run_is_never_claimed_again()
    {
        await Store.CreateRunAsync(Run("run-1", T0));

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ClaimAsync("run-1", T0, TimeSpan.FromMinutes(10)))));

        Assert.Equal(1, claims.Count(c => c));
        var run = await Store.GetRunAsync("run-1");
        Assert.Equal(RunStatus.Finalizing, run!.Status);
        Assert.Equal(T0, run.FinalizationClaimedAt);

        // Still within the lease: nobody else; after it (the finaliser died): one other caller.
        Assert.False(await ClaimAsync("run-1", T0.AddMinutes(9), TimeSpan.FromMinutes(10)));
        var late = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ClaimAsync("run-1", T0.AddMinutes(11), TimeSpan.FromMinutes(10)))));
        Assert.Equal(1, late.Count(c => c));

        await CommitAsync("run-1", new RunFinalization { Status = RunStatus.Incomplete, FinishedAt = T0.AddMinutes(12), Counts = new RunCounts() });
        Assert.False(await ClaimAsync("run-1", T0.AddDays(1), TimeSpan.FromMinutes(10)));
        Assert.Equal(RunStatus.Incomplete, (await Store.GetRunAsync("run-1"))!.Status);
    }

    [Fact]
    public async Task When_the_last_two_scopes_finish_together_the_run_is_finalised_once()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        await Store.SaveFindingsAsync("run-1", [Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail)]);
        await Store.SaveFindingsAsync("run-1", [Finding("AZ-ENC-001", Resource(Dev, "st2"), Outcome.Pass)]);

        async Task<RunRecord?> FinishScope(string scope)
        {
            var run = await CompleteAsync("run-1", new ScopeCompletion(scope, ScopeStatus.Ok, T0.AddMinutes(1)));
            return run.AllScopesDone ? await Finalizer.TryFinalizeAsync("run-1") : null;
        }

        var results = await Task.WhenAll(Task.Run(() => FinishScope(Prod)), Task.Run(() => FinishScope(Dev)));

        var finalised = Assert.Single(results, r => r is not null);
        Assert.Equal(RunStatus.Completed, finalised!.Status);
        Assert.Equal(1, finalised.Counts!.New);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_by_tenant_status_and_start()
    {
        await Store.CreateRunAsync(Run("a", T0));
        await Store.CreateRunAsync(Run("b", T0.AddDays(1)));
        await Store.CreateRunAsync(Run("c", T0.AddDays(2), "other-tenant"));
        await Store.CreateRunAsync(Run("d", T0.AddDays(3)));
        await ClaimAsync("b", T0, TimeSpan.FromMinutes(1));
        await CommitAsync("b", new RunFinalization { Status = RunStatus.Completed, FinishedAt = T0.AddDays(1), Counts = new RunCounts { Fail = 2 } });

        Assert.Equal(["d", "c", "b", "a"], (await Store.ListRunsAsync(new RunQuery())).Select(r => r.RunId));
        Assert.Equal(["d", "b", "a"], (await Store.ListRunsAsync(new RunQuery { TenantId = Tenant })).Select(r => r.RunId));
        Assert.Equal(["d"], (await Store.ListRunsAsync(new RunQuery { Limit = 1 })).Select(r => r.RunId));
        Assert.Equal(["b", "a"], (await Store.ListRunsAsync(new RunQuery { StartedBefore = T0.AddDays(2) })).Select(r => r.RunId));
        var completed = Assert.Single(await Store.ListRunsAsync(new RunQuery { Statuses = RunStatuses.Finalized }));
        Assert.Equal("b", completed.RunId);
        Assert.Equal(2, completed.Counts!.Fail);
        Assert.Equal(T0.AddDays(1), completed.FinishedAt);
    }

    [Fact]
    public async Task Findings_are_read_page_by_page_each_exactly_once_and_filtered()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        var findings = Enumerable.Range(0, 25)
            .Select(i => Finding("AZ-ENC-001", Resource(Prod, $"st{i:00}"), i % 3 == 0 ? Outcome.Pass : Outcome.Fail, i % 2 == 0 ? Severity.High : Severity.Low))
            .ToList();
        await Store.SaveFindingsAsync("run-1", findings);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListFindingsAsync(new FindingQuery { RunId = "run-1", PageSize = 7, ContinuationToken = token });
            Assert.True(page.Findings.Count <= 7);
            seen.AddRange(page.Findings.Select(f => f.Finding.FindingId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 50);

        Assert.Equal(findings.Select(f => f.FindingId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal((await ReadAllAsync(new FindingQuery { RunId = "run-1" })).Select(f => f.Finding.FindingId), seen);
        Assert.True(pages >= 4);

        var highFails = await ReadAllAsync(new FindingQuery { RunId = "run-1", Severities = [Severity.High], Outcomes = [Outcome.Fail] });
        Assert.Equal(findings.Count(f => f.Severity == Severity.High && f.Outcome == Outcome.Fail), highFails.Count);
        Assert.All(highFails, f => Assert.Equal((Severity.High, Outcome.Fail), (f.Finding.Severity, f.Finding.Outcome)));
    }

    [Fact]
    public async Task Findings_are_filtered_by_category()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        var encryption = Finding("AZ-ENC-001", Resource(Prod, "st1"), Outcome.Fail);
        var firewall = Finding("AZ-FW-010", Resource(Prod, "st1"), Outcome.Fail) with { Category = RuleCategory.Firewall };
        var access = Finding("AZ-ACC-001", Prod, Outcome.Pass) with { Category = RuleCategory.Access };
        await Store.SaveFindingsAsync("run-1", [encryption, firewall, access]);

        var found = await ReadAllAsync(new FindingQuery { RunId = "run-1", Categories = [RuleCategory.Firewall, RuleCategory.Access] });

        Assert.Equal(new[] { access.FindingId, firewall.FindingId }.Order(StringComparer.Ordinal), found.Select(f => f.Finding.FindingId).Order(StringComparer.Ordinal));
        Assert.Single(await ReadAllAsync(new FindingQuery { RunId = "run-1", Categories = [RuleCategory.Firewall], Outcomes = [Outcome.Fail] }));
    }

    [Fact]
    public async Task A_notification_is_recorded_for_the_first_caller_only()
    {
        await Store.CreateRunAsync(Run("run-1", T0));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => Store.TryRecordNotificationAsync("run-1", "teams", T0.AddMinutes(5)))));

        Assert.Equal(1, attempts.Count(a => a));
        Assert.True(await Store.TryRecordNotificationAsync("run-1", "email", T0.AddMinutes(6)));
        var run = await Store.GetRunAsync("run-1");
        Assert.Equal([new RunNotification("email", T0.AddMinutes(6)), new RunNotification("teams", T0.AddMinutes(5))], run!.Notifications);
        await Assert.ThrowsAsync<ReportStoreException>(() => Store.TryRecordNotificationAsync("nope", "teams", T0));
    }

    [Fact]
    public async Task A_notification_result_is_recorded_on_the_run()
    {
        await Store.CreateRunAsync(Run("run-1", T0));
        Assert.True(await Store.TryRecordNotificationAsync("run-1", "teams", T0.AddMinutes(5)));

        await Store.RecordNotificationResultAsync("run-1", "teams", NotificationStatus.Failed, "Teams answered 500", T0.AddMinutes(6));

        var run = await Store.GetRunAsync("run-1");
        Assert.Equal([new RunNotification("teams", T0.AddMinutes(5), NotificationStatus.Failed, "Teams answered 500", T0.AddMinutes(6))], run!.Notifications);
        Assert.False(await Store.TryRecordNotificationAsync("run-1", "teams", T0.AddMinutes(7)));
        await Assert.ThrowsAsync<ReportStoreException>(() => Store.RecordNotificationResultAsync("run-1", "email", NotificationStatus.Sent, null, T0));
    }

    [Fact]
    public async Task Suppressions_are_added_replaced_listed_and_deleted()
    {
        var first = new Suppression
        {
            Id = "legacy-tls",
            RuleId = "AZ-ENC-001",
            ResourcePattern = "/subscriptions/*/resourceGroups/rg-legacy/*",
            Tag = new SuppressionTag("exception", "CHG-1234"),
            Justification = "Legacy client needs TLS 1.0 until March.",
            Owner = "alice@northwind.example",
            ExpiresOn = T0.AddDays(90),
            Source = "store",
        };

        await Store.UpsertSuppressionAsync(first);
        await Store.UpsertSuppressionAsync(first with { Owner = "bob@northwind.example" });
        await Store.UpsertSuppressionAsync(first with { Id = "other/id#1", ResourcePattern = null, ResourceId = Resource(Prod, "st1"), Tag = null });

        var listed = await Store.ListSuppressionsAsync();
        Assert.Equal(["legacy-tls", "other/id#1"], listed.Select(s => s.Id));
        Assert.Equal(first with { Owner = "bob@northwind.example" }, listed[0]);
        Assert.True(await Store.DeleteSuppressionAsync("other/id#1"));
        Assert.False(await Store.DeleteSuppressionAsync("other/id#1"));
        Assert.Single(await Store.ListSuppressionsAsync());
    }

    [Fact]
    public async Task Pruning_deletes_old_runs_with_their_findings_but_keeps_each_tenants_latest_finalised_run()
    {
        foreach (var (id, day, tenant) in new[] { ("old-1", 0, Tenant), ("old-2", 1, Tenant), ("old-other", 1, "other-tenant"), ("new-1", 100, Tenant) })
        {
            Time.SetUtcNow(T0.AddDays(day));
            await Store.CreateRunAsync(Run(id, T0.AddDays(day), tenant, Prod));
            await Store.SaveFindingsAsync(id, [Finding("AZ-ENC-001", Resource(Prod, $"st-{id}"), Outcome.Fail)]);
            await CompleteAsync(id, new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddDays(day)));
            await Finalizer.TryFinalizeAsync(id);
        }

        await Store.CreateRunAsync(Run("stuck", T0.AddDays(2), Tenant, Prod));

        var result = await Retention(TimeSpan.FromDays(50)).PruneAsync(default);

        Assert.Equal(3, result.RunsDeleted); // old-1, old-2, stuck; old-other is its tenant's latest
        Assert.Equal(3, result.FindingsDeleted); // old-2 also held old-1's finding, carried as resolved
        Assert.Equal(["new-1", "old-other"], (await Store.ListRunsAsync(new RunQuery())).Select(r => r.RunId));
        Assert.Empty(await KeysAsync("old-1"));
        // st-old-1 left the latest run with new-1 (its carried pass was not carried again): its state, last seen in old-2, is older than the cutoff.
        Assert.True(result.StatesDeleted >= 1);
        Assert.Empty(await Store.GetFindingStatesAsync(Tenant, [FindingId.Compute("AZ-ENC-001", Resource(Prod, "st-old-1")), FindingId.Compute("AZ-ENC-001", Resource(Prod, "st-new-1"))]));
    }

    [Fact]
    public async Task History_classifies_new_persisting_resolved_and_regressed_against_the_previous_run()
    {
        var kept = Resource(Prod, "stkept");     // fail → fail: persisting
        var fixedOne = Resource(Prod, "stfixed"); // fail → pass: resolved
        var broke = Resource(Prod, "stbroke");    // pass → fail: regressed
        var gone = Resource(Prod, "stgone");      // fail → deleted, scope read: resolved (carried)
        var hidden = Resource(Dev, "sthidden");   // fail → scope errored: not resolved (carried, persisting, error)
        var fresh = Resource(Prod, "stfresh");    // (none) → fail: new
        var fine = Resource(Prod, "stfine");      // pass → pass: no status
        var unreadable = Resource(Prod, "stunreadable"); // fail → error: persisting, never resolved

        await ScanAsync("run-1", T0, okDev: true,
            Finding("AZ-ENC-001", kept, Outcome.Fail), Finding("AZ-ENC-001", fixedOne, Outcome.Fail), Finding("AZ-ENC-001", broke, Outcome.Pass),
            Finding("AZ-ENC-001", gone, Outcome.Fail), Finding("AZ-ENC-001", hidden, Outcome.Fail), Finding("AZ-ENC-001", fine, Outcome.Pass),
            Finding("AZ-ENC-001", unreadable, Outcome.Fail), Finding("OTHER-001", gone, Outcome.Fail, packId: "not-in-run-2"));
        var first = await Store.GetRunAsync("run-1");
        Assert.Equal(6, first!.Counts!.New);

        var second = await ScanAsync("run-2", T0.AddDays(1), okDev: false,
            Finding("AZ-ENC-001", kept, Outcome.Fail), Finding("AZ-ENC-001", fixedOne, Outcome.Pass), Finding("AZ-ENC-001", broke, Outcome.Fail),
            Finding("AZ-ENC-001", fresh, Outcome.Fail), Finding("AZ-ENC-001", fine, Outcome.Pass), Finding("AZ-ENC-001", unreadable, Outcome.Error));

        var byResource = (await ReadAllAsync(new FindingQuery { RunId = "run-2" })).ToDictionary(f => (f.Finding.RuleId, f.Finding.ResourceId));
        Assert.Equal(HistoryStatus.Persisting, byResource[("AZ-ENC-001", kept)].Status);
        Assert.Equal(HistoryStatus.Resolved, byResource[("AZ-ENC-001", fixedOne)].Status);
        Assert.Equal(HistoryStatus.Regressed, byResource[("AZ-ENC-001", broke)].Status);
        Assert.Equal(HistoryStatus.New, byResource[("AZ-ENC-001", fresh)].Status);
        Assert.Null(byResource[("AZ-ENC-001", fine)].Status);
        Assert.Equal(HistoryStatus.Persisting, byResource[("AZ-ENC-001", unreadable)].Status);

        var goneNow = byResource[("AZ-ENC-001", gone)];
        Assert.True(goneNow.Carried);
        Assert.Equal((HistoryStatus.Resolved, Outcome.Pass), (goneNow.Status!.Value, goneNow.Finding.Outcome));
        Assert.Contains("no longer in", goneNow.Finding.Reason, StringComparison.Ordinal);

        var hiddenNow = byResource[("AZ-ENC-001", hidden)];
        Assert.True(hiddenNow.Carried);
        Assert.Equal((HistoryStatus.Persisting, Outcome.Error), (hiddenNow.Status!.Value, hiddenNow.Finding.Outcome));
        Assert.Contains("could not be read", hiddenNow.Finding.Reason, StringComparison.Ordinal);

        // A rule the second run did not evaluate says nothing about its resource.
        Assert.False(byResource.ContainsKey(("OTHER-001", gone)));

        Assert.Equal("run-1", second.PreviousRunId);
        Assert.Equal(RunStatus.Completed, second.Status);
        var counts = second.Counts!;
        Assert.Equal((1, 3, 2, 1), (counts.New, counts.Persisting, counts.Resolved, counts.Regressed));
        Assert.Equal((6, 2, 3, 1, 2), (counts.Total, counts.Pass, counts.Fail, counts.Error, counts.Carried));

        var resolved = await ReadAllAsync(new FindingQuery { RunId = "run-2", Statuses = [HistoryStatus.Resolved] });
        Assert.Equal(new[] { fixedOne, gone }.Order(StringComparer.Ordinal), resolved.Select(f => f.Finding.ResourceId).Order(StringComparer.Ordinal));
        Assert.Equal(6, (await ReadAllAsync(new FindingQuery { RunId = "run-2", IncludeCarried = false })).Count);
    }

    [Fact]
    public async Task What_could_not_be_read_stays_a_problem_until_it_is_read_again()
    {
        var hidden = Resource(Dev, "sthidden");
        var broke = Resource(Prod, "stbroke");
        await ScanAsync("run-1", T0, okDev: true, Finding("AZ-ENC-001", hidden, Outcome.Fail), Finding("AZ-ENC-001", broke, Outcome.Pass));
        await ScanAsync("run-2", T0.AddDays(1), okDev: false, Finding("AZ-ENC-001", broke, Outcome.Fail));
        await ScanAsync("run-3", T0.AddDays(2), okDev: false, Finding("AZ-ENC-001", broke, Outcome.Pass));
        var fourth = await ScanAsync("run-4", T0.AddDays(3), okDev: true, Finding("AZ-ENC-001", hidden, Outcome.Fail), Finding("AZ-ENC-001", broke, Outcome.Fail));

        var third = await ReadAllAsync(new FindingQuery { RunId = "run-3" });
        var carriedAgain = Assert.Single(third, f => f.Finding.ResourceId == hidden);
        Assert.Equal((HistoryStatus.Persisting, Outcome.Error, true), (carriedAgain.Status!.Value, carriedAgain.Finding.Outcome, carriedAgain.Carried));
        Assert.Contains("run-1", carriedAgain.Finding.Reason, StringComparison.Ordinal);

        var byResource = (await ReadAllAsync(new FindingQuery { RunId = "run-4" })).ToDictionary(f => f.Finding.ResourceId);
        Assert.Equal(HistoryStatus.Persisting, byResource[hidden].Status);
        Assert.Equal(HistoryStatus.Regressed, byResource[broke].Status);
        Assert.Equal((0, 1, 0, 1), (fourth.Counts!.New, fourth.Counts.Persisting, fourth.Counts.Resolved, fourth.Counts.Regressed));
    }

    [Fact]
    public async Task A_finding_missing_from_the_previous_run_is_compared_with_its_stored_state()
    {
        var flapping = Resource(Dev, "stflap");
        await ScanAsync("run-1", T0, okDev: true, Finding("AZ-ENC-001", flapping, Outcome.Pass));
        await ScanAsync("run-2", T0.AddDays(1), okDev: false);
        await ScanAsync("run-3", T0.AddDays(2), okDev: true, Finding("AZ-ENC-001", flapping, Outcome.Fail));

        var finding = Assert.Single(await ReadAllAsync(new FindingQuery { RunId = "run-3" }));
        Assert.Equal(HistoryStatus.Regressed, finding.Status);
        // Its state was written when it left run 1 (run 2 could not read its scope, and a pass is not carried).
        var state = (await Store.GetFindingStatesAsync(Tenant, [finding.Finding.FindingId]))[finding.Finding.FindingId];
        Assert.Equal((T0, "run-1", Outcome.Pass), (state.LastSeenAt, state.LastRunId, state.LastOutcome));
    }

    [Fact]
    public async Task Finalising_a_run_again_after_a_finaliser_died_before_its_commit_gives_the_same_history()
    {
        await ScanAsync("run-1", T0, okDev: true, Finding("AZ-ENC-001", Resource(Prod, "a"), Outcome.Fail), Finding("AZ-ENC-001", Resource(Prod, "b"), Outcome.Pass));
        Time.SetUtcNow(T0.AddDays(1));
        await Store.CreateRunAsync(Run("run-2", T0.AddDays(1)));
        await Store.SaveFindingsAsync("run-2", [Finding("AZ-ENC-001", Resource(Prod, "b"), Outcome.Fail)]);
        await CompleteAsync("run-2", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddDays(1)));
        await CompleteAsync("run-2", new ScopeCompletion(Dev, ScopeStatus.Ok, T0.AddDays(1)));

        // The first finaliser writes everything and dies at its commit; its claim expires and another finalises.
        var dying = new RunFinalizer(DyingAtCommit.Wrap(Store), Time, Options.Create(new ReportStoreOptions()));
        await Assert.ThrowsAsync<IOException>(() => dying.TryFinalizeAsync("run-2"));
        Time.Advance(TimeSpan.FromMinutes(11));
        var again = await Finalizer.TryFinalizeAsync("run-2");

        Assert.NotNull(again);
        var after = (await ReadAllAsync(new FindingQuery { RunId = "run-2" })).ToDictionary(f => f.Finding.ResourceName);
        Assert.Equal((HistoryStatus.Regressed, false), (after["b"].Status!.Value, after["b"].Carried));
        Assert.Equal((HistoryStatus.Resolved, true), (after["a"].Status!.Value, after["a"].Carried));
        Assert.Equal(2, after.Count);
        Assert.Equal((1, 1, 0, 1), (again!.Counts!.Regressed, again.Counts.Resolved, again.Counts.New, again.Counts.Carried));
        // Both are held by run 2 (evaluated or carried): neither needs a state.
        Assert.Empty(await Store.GetFindingStatesAsync(Tenant, after.Values.Select(f => f.Finding.FindingId).ToList()));
    }

    [Fact]
    public async Task A_run_finalised_with_a_scope_that_never_reported_is_incomplete_and_resolves_nothing_there()
    {
        var hidden = Resource(Dev, "st1");
        await ScanAsync("run-1", T0, okDev: true, Finding("AZ-ENC-001", hidden, Outcome.Fail));
        Time.SetUtcNow(T0.AddDays(1));
        await Store.CreateRunAsync(Run("run-2", T0.AddDays(1)));
        await CompleteAsync("run-2", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddDays(1)));

        var run = await Finalizer.TryFinalizeAsync("run-2");

        Assert.Equal(RunStatus.Incomplete, run!.Status);
        var carried = Assert.Single(await ReadAllAsync(new FindingQuery { RunId = "run-2" }));
        Assert.Equal((HistoryStatus.Persisting, Outcome.Error), (carried.Status!.Value, carried.Finding.Outcome));
        Assert.Contains("did not report", carried.Finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scope_read_again_resolves_its_collection_error()
    {
        var scopeError = Finding(ScanEngine.CollectionRuleId, Dev, Outcome.Error, packId: "engine");
        await ScanAsync("run-1", T0, okDev: false, scopeError);
        await ScanAsync("run-2", T0.AddDays(1), okDev: true, Finding("AZ-ENC-001", Resource(Dev, "st1"), Outcome.Pass));

        var resolved = Assert.Single(await ReadAllAsync(new FindingQuery { RunId = "run-2", Statuses = [HistoryStatus.Resolved] }));
        Assert.Equal(ScanEngine.CollectionRuleId, resolved.Finding.RuleId);
        Assert.Contains("was read in this run", resolved.Finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_previous_run_is_the_latest_run_finished_before_this_one_finishes()
    {
        var a = Resource(Prod, "sta");
        await ScanAsync("run-0", T0, okDev: true, Finding("AZ-ENC-001", a, Outcome.Pass));

        // Run 1 starts first, run 2 after it; run 2 finishes first.
        Time.SetUtcNow(T0.AddDays(1));
        await Store.CreateRunAsync(Run("run-1", T0.AddDays(1), Tenant, Prod));
        await Store.SaveFindingsAsync("run-1", [Finding("AZ-ENC-001", a, Outcome.Fail)]);
        await CompleteAsync("run-1", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddDays(1)));
        Time.SetUtcNow(T0.AddDays(1).AddMinutes(1));
        await Store.CreateRunAsync(Run("run-2", T0.AddDays(1).AddMinutes(1), Tenant, Prod));
        await Store.SaveFindingsAsync("run-2", [Finding("AZ-ENC-001", a, Outcome.Fail)]);
        await CompleteAsync("run-2", new ScopeCompletion(Prod, ScopeStatus.Ok, T0.AddDays(1).AddMinutes(1)));
        Time.SetUtcNow(T0.AddDays(1).AddMinutes(2));
        var second = await Finalizer.TryFinalizeAsync("run-2");
        Time.SetUtcNow(T0.AddDays(1).AddMinutes(3));
        var first = await Finalizer.TryFinalizeAsync("run-1");

        Assert.Equal("run-0", second!.PreviousRunId);
        Assert.Equal(1, second.Counts!.Regressed);
        Assert.Equal("run-2", first!.PreviousRunId);
        Assert.Equal(1, first.Counts!.Persisting);
        Assert.Equal(0, first.Counts.Regressed);
    }

    /// <summary>Commits a finalisation as given, without history (the run must be claimed).</summary>
    private async Task CommitAsync(string runId, RunFinalization finalization)
    {
        await using var session = await Store.BeginFinalizationAsync(runId);
        Assert.True(await session.CommitAsync(finalization, default));
    }

    /// <summary>One single-process scan: create, save each scope's findings, report scopes, finalise.</summary>
    private async Task<RunRecord> ScanAsync(string runId, DateTimeOffset at, bool okDev, params Finding[] findings)
    {
        Time.SetUtcNow(at);
        await Store.CreateRunAsync(Run(runId, at));
        foreach (var group in findings.GroupBy(f => f.ResourceId.StartsWith(Dev, StringComparison.Ordinal) ? Dev : Prod))
        {
            if (group.Key == Dev && !okDev && group.Any(f => f.RuleId != ScanEngine.CollectionRuleId))
            {
                throw new InvalidOperationException("a scope that errored has no findings but its collection error");
            }

            await Store.SaveFindingsAsync(runId, group.ToList());
        }

        await CompleteAsync(runId, new ScopeCompletion(Prod, ScopeStatus.Ok, at));
        await CompleteAsync(runId, new ScopeCompletion(Dev, okDev ? ScopeStatus.Ok : ScopeStatus.Error, at, okDev ? null : "403 AuthorizationFailed"));
        Time.Advance(TimeSpan.FromMinutes(5));
        return await Finalizer.TryFinalizeAsync(runId) ?? throw new InvalidOperationException("not finalised");
    }

    private async Task<List<StoredFinding>> ReadAllAsync(FindingQuery query)
    {
        var all = new List<StoredFinding>();
        string? token = null;
        do
        {
            var page = await Store.ListFindingsAsync(query with { ContinuationToken = token });
            all.AddRange(page.Findings);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }
}
