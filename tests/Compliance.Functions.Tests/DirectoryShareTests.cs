using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Compliance.Azure.Collectors.Http;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Findings;
using Compliance.Functions.Functions;
using Compliance.Functions.Scanning;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// The directory is read once per run: the directory scope's scan shares what the subscriptions'
/// rules count (the guests among the users, for AZ-ACC-005) and the subscription scans take it from
/// there — concurrently, through the same quota gate, with the findings of one collect-then-scan. A
/// directory that cannot be read, or is not shared in time, makes nothing that depends on it compliant.
/// </summary>
public sealed class DirectoryShareTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-directory-share-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Concurrent_scope_scans_read_the_directory_once_share_the_quota_gate_and_find_what_one_collect_then_scan_finds()
    {
        var tenant = WithGuestOwner();
        await using var host = await FunctionsHarness.StartAsync(
            tenant,
            s =>
            {
                // A bucket that does not refill during the test: what is left says how many queries took a token.
                s["Collectors:QuotaGate:Capacity"] = "1000";
                s["Collectors:QuotaGate:Window"] = "365.00:00:00";
                s["Scan:DirectoryPollInterval"] = "00:00:00.020";
            },
            time: TimeProvider.System);
        host.Azure.QuotaRemaining = 100_000;
        Assert.IsType<SharedQuotaGate>(host.Services.GetRequiredService<IQuotaGate>());

        var run = await host.FireTimerAsync();
        var messages = new List<string>();
        while (await host.Queue.Queue.ReceiveMessageAsync() is { Value: { } message })
        {
            messages.Add(message.Body.ToString());
            await host.Queue.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        Assert.Equal(4, messages.Count);
        Assert.True(ScopeMessage.TryParse(messages[0])!.IsEntra, "the directory's message goes first");

        // Every scope at once, as instances of the app take them.
        using var go = new ManualResetEventSlim();
        var scans = messages.Select(m => Task.Run(async () =>
        {
            go.Wait();
            await host.Function<ScopeScan>().RunAsync(m, CancellationToken.None);
        })).ToList();
        go.Set();
        await Task.WhenAll(scans);

        run = await host.RunAsync(run.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.All(run.Scopes, s => Assert.Equal(ScopeStatus.Ok, s.Status));

        // One directory read: each Graph request was made once, not once per subscription (the directory's
        // scan also names its role assignments' principals: another select of the same list, once per run).
        var graph = host.Azure.Requests.Where(r => r.IsGraph).GroupBy(r => r.Path + r.Query + r.Body).ToList();
        Assert.Contains(graph, g => g.Key.StartsWith("/v1.0/users", StringComparison.Ordinal));
        Assert.All(graph, g => Assert.True(g.Count() == 1, $"{g.Key} requested {g.Count()} times"));

        // One quota: the four scans' Resource Graph queries all took their token from the shared bucket.
        var table = host.Services.GetRequiredService<TableServiceClient>().GetTableClient(host.Services.GetRequiredService<IOptions<AzureStorageOptions>>().Value.TablePrefix + "Quota");
        var bucket = (await table.GetEntityAsync<TableEntity>(SharedQuotaGate.PartitionKey, SharedQuotaGate.RowKey)).Value;
        var queries = host.Azure.Requests.Count(r => r.IsResourceGraph);
        Assert.True(queries >= 3, $"{queries} Resource Graph queries");
        Assert.InRange(bucket.GetDouble("Tokens")!.Value, 1000 - queries - 0.01, 1000 - queries + 0.01);
        await table.DeleteAsync();

        // The subscription scan judged the guest's Owner assignment with the shared users, and the share is gone.
        var findings = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }).ToListAsync();
        var guest = Assert.Single(findings, f => f.Finding.RuleId == "AZ-ACC-005");
        Assert.Equal((Outcome.Fail, "/subscriptions/" + Prod), (guest.Finding.Outcome, guest.ScopeId));
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("the directory read is shared with the subscription scans", StringComparison.Ordinal));
        var container = host.Services.GetRequiredService<global::Azure.Storage.Blobs.BlobServiceClient>().GetBlobContainerClient(host.Services.GetRequiredService<IOptions<AzureStorageOptions>>().Value.BlobContainer);
        Assert.Empty(await container.GetBlobsAsync(prefix: "directory/").ToListAsync());

        // The same findings as one collect of the whole tenant, then one scan of it.
        var snapshot = Path.Combine(_dir, "tenant.json");
        var now = host.Time.GetUtcNow();
        var (collectCode, _, collectError) = await PipelineParityTests.RunCliAsync(host, now, "collect", "--out", snapshot);
        Assert.True(collectCode == 0, collectError);
        var (code, output, error) = await PipelineParityTests.RunCliAsync(host, now, "scan", "--snapshot", snapshot, "--store", "none", "--format", "json");
        Assert.True(code == 0, error);
        using var cli = JsonDocument.Parse(output);
        var fromCli = cli.RootElement.EnumerateArray()
            .Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("resourceId").GetString()!, f.GetProperty("outcome").GetString()!))
            .Order().ToList();
        Assert.Equal(fromCli, findings.Select(f => (f.Finding.RuleId, f.Finding.ResourceId, f.Finding.Outcome.ToWire())).Order().ToList());
    }

    [Fact]
    public async Task When_the_directory_cannot_be_read_it_is_read_once_and_no_subscription_calls_the_guest_rule_compliant()
    {
        var tenant = WithGuestOwner();
        await using var host = await FunctionsHarness.StartAsync(tenant);
        var denied = host.Azure.AddFault(new FakeFault(r => r.IsGraph && r.Path == "/v1.0/users", int.MaxValue)
        {
            Status = 403,
            ErrorCode = "Authorization_RequestDenied",
            ErrorMessage = "Insufficient privileges to complete the operation.",
        });

        var run = await host.FireTimerAsync();
        await host.DrainQueueAsync();
        run = await host.RunAsync(run.RunId);

        Assert.Equal(1, denied.Fired);
        var directory = run.FindScope("/tenants/" + TenantId)!;
        Assert.Equal(ScopeStatus.Error, directory.Status);
        Assert.Contains("User.Read.All", directory.Error, StringComparison.Ordinal);
        Assert.Equal(ScopeStatus.Ok, run.FindScope("/subscriptions/" + Prod)!.Status);

        // The role assignments of users in each subscription: whether their principal is a guest is unknown — errors, never passes.
        var findings = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }).ToListAsync();
        var guestRule = findings.Where(f => f.Finding.RuleId == "AZ-ACC-005").ToList();
        Assert.Equal(2, guestRule.Count);
        Assert.All(guestRule, f => Assert.Equal(Outcome.Error, f.Finding.Outcome));
        Assert.Contains(guestRule, f => f.Finding.Reason.Contains("directory", StringComparison.OrdinalIgnoreCase));

        // What does not depend on the directory is judged as usual.
        Assert.Contains(findings, f => f.Finding.RuleId == "AZ-FW-020" && f.Finding.Outcome == Outcome.Fail);
    }

    [Fact]
    public async Task A_subscription_scan_that_starts_before_the_directory_is_shared_waits_a_bounded_time_then_calls_nothing_compliant_that_depends_on_it()
    {
        await using var host = await FunctionsHarness.StartAsync(WithGuestOwner());
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        var runId = ScopeMessage.TryParse(messages[0])!.RunId;
        var prod = messages.Single(m => m.Contains(Prod, StringComparison.Ordinal));

        // Prod's scan runs while the directory's message waits in the queue.
        var time = (InstantTimeProvider)host.Time;
        var before = time.Waits.Count;
        await host.Function<ScopeScan>().RunAsync(prod, CancellationToken.None);
        var waits = time.Waits.Skip(before).ToList();
        var settings = host.Services.GetRequiredService<IOptions<ScanSettings>>().Value;
        Assert.Equal((int)(settings.DirectoryWait / settings.DirectoryPollInterval), waits.Count);
        Assert.All(waits, w => Assert.Equal(settings.DirectoryPollInterval, w));
        Assert.Equal(0, host.Azure.GraphRequests);

        var findings = await host.Store.ReadFindingsAsync(new FindingQuery { RunId = runId }).ToListAsync();
        var guest = Assert.Single(findings, f => f.Finding.RuleId == "AZ-ACC-005");
        Assert.Equal(Outcome.Error, guest.Finding.Outcome);
        Assert.Equal(ScopeStatus.Ok, (await host.RunAsync(runId)).FindScope("/subscriptions/" + Prod)!.Status);
        Assert.Single(host.Logs.Entries, e => e.Category == typeof(DirectoryShare).FullName && e.Message.Contains("was not shared within Scan:DirectoryWait", StringComparison.Ordinal));

        // The directory's scan then shares its read: the next subscription scans take it without waiting, and the run completes.
        foreach (var message in messages.Where(m => m != prod))
        {
            await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
        }

        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(waits.Count, time.Waits.Skip(before).Count(w => w == settings.DirectoryPollInterval));
        Assert.Single(host.Logs.Entries, e => e.Category == typeof(DirectoryShare).FullName && e.Message.Contains("was not shared within Scan:DirectoryWait", StringComparison.Ordinal));
        Assert.Single(host.Azure.Requests, r => r.IsGraph && r.Path == "/v1.0/users");
    }

    [Fact]
    public async Task A_poisoned_directory_scan_tells_the_waiting_subscription_scans_at_once()
    {
        await using var host = await FunctionsHarness.StartAsync(WithGuestOwner());
        var messages = await host.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.True(ScopeMessage.TryParse(messages[0])!.IsEntra);
        await host.Function<PoisonedScope>().RunAsync(messages[0], CancellationToken.None);

        var time = (InstantTimeProvider)host.Time;
        var before = time.Waits.Count;
        foreach (var message in messages[1..])
        {
            await host.Function<ScopeScan>().RunAsync(message, CancellationToken.None);
        }

        // No poll for the directory (the Resource Graph bucket may still make a scan wait its turn).
        var poll = host.Services.GetRequiredService<IOptions<ScanSettings>>().Value.DirectoryPollInterval;
        Assert.DoesNotContain(poll, time.Waits.Skip(before));
        var runId = ScopeMessage.TryParse(messages[0])!.RunId;
        var run = await host.RunAsync(runId);
        Assert.True(run.IsFinalized);
        var guestRule = (await host.Store.ReadFindingsAsync(new FindingQuery { RunId = runId }).ToListAsync()).Where(f => f.Finding.RuleId == "AZ-ACC-005").ToList();
        Assert.Equal(2, guestRule.Count);
        Assert.All(guestRule, f => Assert.Equal(Outcome.Error, f.Finding.Outcome));
        Assert.Equal(0, host.Azure.GraphRequests);
    }

    /// <summary>
    /// Contoso with two users from Microsoft Graph's documented user list (user-list.md, example 11,
    /// tests/Corpus/graph/users), one of them made a guest (userType, which that example did not select),
    /// and an Owner assignment for each — the guest's in Prod, the member's in Dev — from the REST API
    /// specification's RoleAssignments_ListForScope example (tests/Corpus/arm), with its principal,
    /// subscription and role changed (Owner: rules/facts/well-known-ids.json).
    /// </summary>
    private static FakeTenant WithGuestOwner()
    {
        var tenant = Contoso();
        var users = JsonNode.Parse(File.ReadAllText(RepoPaths.File("tests", "Corpus", "graph", "users", "user-list-signinactivity.json")))!["body"]!["value"]!.AsArray();
        var guest = users[0]!.DeepClone().AsObject();
        guest["userType"] = "Guest";
        var member = users[1]!.DeepClone().AsObject();
        member["userType"] = "Member";
        tenant.AddGraph("users", guest);
        tenant.AddGraph("users", member);

        var example = JsonNode.Parse(File.ReadAllText(RepoPaths.File("tests", "Corpus", "arm", "Microsoft.Authorization.roleAssignments", "RoleAssignments_ListForScope.json")))!["body"]!["value"]![0]!;
        foreach (var (subscription, principal) in new[] { (Prod, guest["id"]!.GetValue<string>()), (Dev, member["id"]!.GetValue<string>()) })
        {
            var assignment = example.DeepClone().AsObject();
            var name = assignment["name"]!.GetValue<string>()[..^4] + subscription[^4..];
            assignment["id"] = $"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleAssignments/{name}";
            assignment["name"] = name;
            assignment["subscriptionId"] = subscription;
            var properties = assignment["properties"]!.AsObject();
            properties["principalId"] = principal;
            properties["scope"] = "/subscriptions/" + subscription;
            properties["roleDefinitionId"] = $"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{WellKnownIds.AzureRole("Owner")}";
            tenant.AddRow(assignment);
        }

        return tenant;
    }
}
