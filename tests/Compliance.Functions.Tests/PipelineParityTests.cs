using System.Text.Json;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Cli;
using Compliance.Functions.Tests.Support;
using Compliance.Reporting.Store;
using Microsoft.Extensions.DependencyInjection;
using static Compliance.Azure.Tests.Collectors.TestTenants;

namespace Compliance.Functions.Tests;

/// <summary>
/// One run pipeline: the same tenant scanned by the Function App (timer, one queue message per
/// scope, Table storage) and by the CLI (collect, then scan into its SQLite store) gives the same
/// findings with the same outcomes and history statuses — on a first run, and on a second one
/// where a subscription answers 403 and its problems are carried.
/// </summary>
public sealed class PipelineParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compliance-parity-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_cli_and_the_functions_app_give_the_same_findings_and_statuses_for_the_same_tenant()
    {
        var tenant = Contoso();
        await using var host = await FunctionsHarness.StartAsync(tenant);
        var store = Path.Combine(_dir, "cli.db");

        foreach (var round in new[] { 1, 2 })
        {
            if (round == 2)
            {
                tenant.ForbiddenSubscriptions.Add(Dev);
                await Task.Delay(TimeSpan.FromDays(1), host.Time);
            }

            var run = await host.FireTimerAsync();
            await host.DrainQueueAsync();
            run = await host.RunAsync(run.RunId);
            var functions = new List<StoredFinding>();
            await foreach (var stored in host.Store.ReadFindingsAsync(new FindingQuery { RunId = run.RunId }))
            {
                functions.Add(stored);
            }

            var snapshot = Path.Combine(_dir, $"tenant-{round}.json");
            var now = host.Time.GetUtcNow();
            var (collectCode, _, collectError) = await RunCliAsync(host, now, "collect", "--out", snapshot);
            Assert.True(collectCode == 0, collectError);
            var (code, output, error) = await RunCliAsync(host, now, "scan", "--snapshot", snapshot, "--store", store, "--format", "json");
            Assert.True(code == 0, error);
            using var cli = JsonDocument.Parse(output);

            var fromFunctions = functions
                .Select(f => (f.Finding.RuleId, f.Finding.ResourceId, Outcome: f.Finding.Outcome.ToString().ToLowerInvariant(), Status: f.Status?.ToString().ToLowerInvariant(), f.Carried))
                .OrderBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.ResourceId, StringComparer.Ordinal)
                .ToList();
            var fromCli = cli.RootElement.EnumerateArray()
                .Select(f => (
                    RuleId: f.GetProperty("ruleId").GetString()!,
                    ResourceId: f.GetProperty("resourceId").GetString()!,
                    Outcome: f.GetProperty("outcome").GetString()!,
                    Status: f.TryGetProperty("historyStatus", out var s) ? s.GetString() : null,
                    Carried: f.TryGetProperty("carried", out var c) && c.GetBoolean()))
                .OrderBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.ResourceId, StringComparer.Ordinal)
                .ToList();

            Assert.NotEmpty(fromCli);
            Assert.Equal(fromFunctions, fromCli);
            if (round == 2)
            {
                Assert.Contains(fromCli, f => f.Carried && f.Status == "persisting" && f.ResourceId.Contains(Dev, StringComparison.Ordinal));
                Assert.Contains(fromCli, f => f.RuleId == "COLLECTION-SCOPE" && f.Status == "new");
            }
        }
    }

    /// <summary>The CLI, signed in with a fake credential, against the harness's loopback Azure, at <paramref name="now"/>.</summary>
    internal static async Task<(int ExitCode, string Out, string Error)> RunCliAsync(FunctionsHarness host, DateTimeOffset now, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new CliEnvironment(output, error, new InstantTimeProvider(now), ErrorIsTerminal: false, services =>
        {
            services.AddSingleton<TokenCredential>(new FakeCredential());
            services.AddSingleton(new CollectorTransport(host.Azure.CreateHandler()));
            services.AddSingleton<TimeProvider>(new InstantTimeProvider(now));
        });
        var code = await CliApp.RunAsync([.. args, "--tenant", TenantId], env);
        return (code, output.ToString(), error.ToString());
    }
}
