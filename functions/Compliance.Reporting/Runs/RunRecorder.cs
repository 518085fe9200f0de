using Compliance.Core.Evaluation;
using Compliance.Core.Findings;
using Compliance.Core.Snapshots;
using Compliance.Reporting.History;
using Compliance.Reporting.Store;
using Compliance.Reporting.Suppressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Reporting.Runs;

/// <summary>
/// The one run pipeline, for the CLI and the Functions app alike: start a run (abandoning the
/// tenant's runs left open past the timeout), record a snapshot's findings into it (scan, suppress,
/// save in batches, report its scopes with their worst status), record a scope that could not be
/// scanned, and finish it — finalise (history, mass-change guard), prune, and write its outputs,
/// each on its own. The sweep of the Functions app goes through the same calls.
/// </summary>
public sealed class RunRecorder(
    IReportStore store,
    ScanEngine engine,
    RunFinalizer finalizer,
    RunRetention retention,
    RunOutputs outputs,
    IOptions<ReportStoreOptions> options,
    TimeProvider time,
    ILogger<RunRecorder> logger)
{
    public IReportStore Store => store;

    /// <summary>Creates the run (or returns it, for a retried start), after marking the tenant's runs left open past <see cref="ReportStoreOptions.AbandonAfter"/> as abandoned.</summary>
    public async Task<RunRecord> StartAsync(RunStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        await AbandonStaleAsync(start.TenantId, start.RunId, cancellationToken);
        return await store.CreateRunAsync(start, cancellationToken);
    }

    /// <summary>Marks the open runs of a tenant that started longer ago than the timeout as abandoned; returns how many.</summary>
    public async Task<int> AbandonStaleAsync(string tenantId, string? by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timeout = options.Value.AbandonAfter;
        var count = 0;
        foreach (var run in await store.ListRunsAsync(new RunQuery { TenantId = tenantId, Statuses = RunStatuses.Open, Limit = int.MaxValue }, cancellationToken))
        {
            var stale = now - run.StartedAt >= timeout
                        && (run.Status == RunStatus.Running || run.FinalizationClaimedAt is not { } claimed || now - claimed >= options.Value.FinalizationLease);
            if (!stale || run.RunId == by)
            {
                continue;
            }

            var reason = $"still {run.Status.ToWire()} {FormatAge(now - run.StartedAt)} after it started (more than Store:AbandonAfter, {FormatAge(timeout)}): its scan was stopped before it finished; marked abandoned at {IsoTime.Seconds(now)}{(by is null ? string.Empty : " by run " + by)}";
            if (await store.TryUpdateRunAsync(run.RunId, run.Version, new RunChange { Status = RunStatus.Abandoned, AbandonedReason = reason, ClearClaim = true }, cancellationToken))
            {
                logger.LogWarning("Run {RunId} abandoned: {Reason}", run.RunId, reason);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Scans a snapshot into the run: every finding (of <see cref="RecordOptions.OnlyScope"/>, when given)
    /// suppressed as the set says and saved in batches while the scan goes on, then the scopes reported —
    /// each scope the snapshot lists, once, with its worst status, and each scope only its findings show, as read.
    /// </summary>
    public async Task<SnapshotRecording> RecordSnapshotAsync(RunRecord run, SnapshotReader reader, CompiledRuleSet rules, SuppressionSet suppressions, RecordOptions record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(record);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? lastScope = null;
        var batch = new List<Finding>(record.BatchSize);
        Task saving = Task.CompletedTask;
        long saved = 0;
        await foreach (var finding in engine.ScanAsync(reader, rules, record.Scan, cancellationToken))
        {
            var scope = FindingScopes.ScopeOf(finding, run.TenantId);
            if (record.OnlyScope is { } only && !string.Equals(scope, only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // The findings of a resource (and of a subscription) come together: the set is asked only when the scope changes.
            if (!string.Equals(scope, lastScope, StringComparison.Ordinal))
            {
                seen.Add(scope);
                lastScope = scope;
            }

            batch.Add(suppressions.Apply(finding));
            if (batch.Count >= record.BatchSize)
            {
                // One batch is written while the next is evaluated.
                await saving;
                var full = batch;
                saving = Task.Run(() => store.SaveFindingsAsync(run.RunId, full, cancellationToken), cancellationToken);
                saved += batch.Count;
                batch = new List<Finding>(record.BatchSize);
            }
        }

        await saving;
        if (batch.Count > 0)
        {
            await store.SaveFindingsAsync(run.RunId, batch, cancellationToken);
            saved += batch.Count;
        }

        var completions = Completions(reader.Header, seen, record, reader.ResourcesRead);
        var updated = await store.CompleteScopesAsync(run.RunId, completions, cancellationToken);
        return new SnapshotRecording { Run = updated, Header = reader.Header, Resources = reader.ResourcesRead, Findings = saved, Scopes = completions };
    }

    /// <summary>
    /// Records a scope that could not be scanned (its message poisoned, the run timed out, the
    /// subscription list unreadable) as a failed collection is: the engine's COLLECTION-SCOPE error
    /// finding, with the controls of every rule it hides; with <paramref name="complete"/>, the scope is reported failed.
    /// </summary>
    public async Task<RunRecord> RecordScopeErrorAsync(RunRecord run, string scopeId, string? displayName, string error, CompiledRuleSet rules, bool complete, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var finding = ScanEngine.ScopeErrorFinding(new SnapshotScope(scopeId, SnapshotScope.Failed, error, displayName), rules);
        await store.SaveFindingsAsync(run.RunId, [finding], cancellationToken);
        return complete
            ? await store.CompleteScopesAsync(run.RunId, [new ScopeCompletion(scopeId, ScopeStatus.Error, time.GetUtcNow(), error, displayName)], cancellationToken)
            : run;
    }

    /// <summary>Sets what the run knows of its provenance once the snapshot is read (its hash, whether it was whole).</summary>
    public async Task<RunRecord> SetProvenanceAsync(string runId, Func<RunProvenance, RunProvenance> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new ReportStoreException($"run '{runId}' does not exist");
            if (await store.TryUpdateRunAsync(runId, run.Version, new RunChange { Provenance = change(run.Provenance) }, cancellationToken))
            {
                return (await store.GetRunAsync(runId, cancellationToken))!;
            }
        }

        throw new ReportStoreException($"run '{runId}' kept changing while its provenance was recorded");
    }

    /// <summary>
    /// Finalises the run if this caller wins the claim, then prunes old runs and writes the run's
    /// outputs, each on its own (a failure is logged, never thrown). Null when someone else finalises it.
    /// </summary>
    public async Task<RunRecord?> FinishAsync(string runId, FinalizeOptions? finalize, CancellationToken cancellationToken)
    {
        var run = await finalizer.TryFinalizeAsync(runId, finalize, cancellationToken);
        if (run is null)
        {
            logger.LogInformation("Run {RunId} is finalised by another caller", runId);
            return null;
        }

        logger.LogInformation(
            "Run {RunId} finalised: {Status}; {Fail} fail, {Error} error, {New} new, {Regressed} regressed, {Resolved} resolved{Suspect}",
            run.RunId, run.Status.ToWire(), run.Counts?.Fail, run.Counts?.Error, run.Counts?.New, run.Counts?.Regressed, run.Counts?.Resolved,
            run.SuspectReason is { } why ? $" ({(run.ChangesAccepted ? "changes accepted" : "suspect")}: {why})" : string.Empty);
        ComplianceMetrics.RunFinalized(run.Status.ToWire());
        try
        {
            await retention.PruneAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("Pruning old runs failed: {Error}", ex.Message);
        }

        await outputs.WriteAsync(run, cancellationToken);
        return await store.GetRunAsync(runId, cancellationToken) ?? run;
    }

    /// <summary>
    /// What the queue did not finish: a run whose scopes have not all reported <paramref name="stuckAfter"/>
    /// after it started is finalised as incomplete (each silent scope gets an error finding), a
    /// finalisation whose claim expired is taken over, and recently finalised runs get the outputs
    /// their finaliser did not write.
    /// </summary>
    public async Task SweepAsync(CompiledRuleSet rules, TimeSpan stuckAfter, Func<RunRecord, FinalizeOptions>? finalize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = options.Value.FinalizationLease;
        var open = await store.ListRunsAsync(new RunQuery { Statuses = RunStatuses.Open, Limit = 100 }, cancellationToken);
        foreach (var run in open.Where(r => r.Status == RunStatus.Running ? now - r.StartedAt >= stuckAfter : RunFinalizer.IsClaimable(r, now, lease)))
        {
            if (run.Status == RunStatus.Running)
            {
                foreach (var scope in run.Scopes.Where(s => s.Status == ScopeStatus.Pending))
                {
                    var error = $"did not report within {stuckAfter} of the run's start (Scan:StuckRunTimeout): the run was finalised without it";
                    logger.LogWarning("Run {RunId}: scope {ScopeId} {Error}", run.RunId, scope.Id, error);
                    await RecordScopeErrorAsync(run, scope.Id, scope.DisplayName, error, rules, complete: false, cancellationToken);
                }
            }

            await FinishAsync(run.RunId, finalize?.Invoke(run), cancellationToken);
        }

        // A finaliser that died after finalising leaves outputs unwritten; once its claim would have
        // expired, nobody else is writing them.
        var settled = now - lease;
        var recent = await store.ListRunsAsync(new RunQuery { Statuses = RunStatuses.Finalized, Order = RunOrder.LatestFinished, Limit = 10 }, cancellationToken);
        foreach (var run in recent.Where(r => r.FinishedAt is { } finished && finished <= settled))
        {
            await outputs.WriteMissingAsync(run, cancellationToken);
        }
    }

    private List<ScopeCompletion> Completions(SnapshotHeader header, HashSet<string> seen, RecordOptions record, long resources)
    {
        var now = time.GetUtcNow();
        ScopeCompletion From(SnapshotScope scope, long? count) => new(
            scope.Id,
            scope.IsError ? ScopeStatus.Error : ScopeStatus.Ok,
            now,
            scope.Error,
            scope.DisplayName ?? (record.OnlyScope is not null ? record.ScopeDisplayName : null),
            header.CollectedAt,
            count,
            record.SnapshotSha256);

        if (record.OnlyScope is { } only)
        {
            var listed = header.FindScope(only);
            return [listed is null ? new ScopeCompletion(only, ScopeStatus.Ok, now, null, record.ScopeDisplayName, header.CollectedAt, resources, record.SnapshotSha256) : From(listed, resources)];
        }

        // The snapshot's scopes say what was read; a scope that only shows in the findings was read too.
        var completions = header.Scopes.Select(s => From(s, null)).ToList();
        completions.AddRange(seen.Where(s => header.FindScope(s) is null).Order(StringComparer.OrdinalIgnoreCase)
            .Select(s => new ScopeCompletion(s, ScopeStatus.Ok, now, CollectedAt: header.CollectedAt)));
        return completions;
    }

    private static string FormatAge(TimeSpan age) => age.TotalHours >= 1 ? $"{age.TotalHours:0.#} h" : $"{age.TotalMinutes:0} min";
}
