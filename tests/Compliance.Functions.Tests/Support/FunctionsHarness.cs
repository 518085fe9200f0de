using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs;
using Compliance.Azure.Collectors;
using Compliance.Azure.Notifications;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Functions.Functions;
using Compliance.Reporting.Store;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests.Support;

/// <summary>
/// The Function App as the worker composes it (<c>AddComplianceFunctions</c> over configuration), with
/// only the edges replaced: Azurite for storage (tables, blobs and the queue, in names of its own),
/// loopback fakes of Resource Graph / ARM / Graph, Key Vault and a Teams workflow, a fake credential,
/// and a clock whose waits take no time. Functions are built the way the worker builds them.
/// </summary>
internal sealed class FunctionsHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    public const string SigningKeyText = "test-signing-key-0123456789abcdef";

    private readonly string _connection;
    private readonly Dictionary<string, string?> _settings;
    private readonly int? _ingestionPort;
    private TokenCredential _credential = null!;

    private FunctionsHarness(FakeAzure azure, FakeKeyVault vault, FakeTeams teams, TimeProvider time, string connection, Dictionary<string, string?> settings, int? ingestionPort)
    {
        _ingestionPort = ingestionPort;
        Azure = azure;
        Vault = vault;
        Teams = teams;
        Time = time;
        _connection = connection;
        _settings = settings;
        Queue = new QueueHost(connection, "q" + Guid.NewGuid().ToString("N")[..20]);
    }

    public FakeAzure Azure { get; }

    public FakeKeyVault Vault { get; }

    public FakeTeams Teams { get; }

    public TimeProvider Time { get; }

    public QueueHost Queue { get; }

    public CollectingLoggerProvider Logs { get; } = new();

    public ServiceProvider Services { get; private set; } = null!;

    public IReportStore Store => Services.GetRequiredService<IReportStore>();

    /// <summary>Starts the fakes and composes the app; <paramref name="ingestionPort"/>, the port of a loopback Logs Ingestion fake, receives the requests to data collection endpoints (*.ingest.monitor.azure.com).</summary>
    public static async Task<FunctionsHarness> StartAsync(FakeTenant tenant, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null, TokenCredential? credential = null, int? ingestionPort = null)
    {
        var connection = AzuriteConnection.Get();
        var id = Guid.NewGuid().ToString("N")[..16];
        var settings = new Dictionary<string, string?>
        {
            ["ScanSchedule"] = "0 0 2 * * *",
            ["Store:Azure:ConnectionString"] = connection,
            ["Store:Azure:TablePrefix"] = "F" + id,
            ["Store:Azure:BlobContainer"] = "f" + id,
            ["Store:Azure:EvidenceContainer"] = "e" + id,
            ["Collectors:Azure:TenantId"] = tenant.TenantId,
            ["Collectors:Retry:MaxRetries"] = "2",
            ["Secrets:VaultUri"] = FakeKeyVault.VaultUri,
            ["Alerts:FindingsUrl"] = "https://func-compliance-test.azurewebsites.net/api/runs/{runId}/findings?status=new,regressed",
        };
        configure?.Invoke(settings);

        var azure = await FakeAzure.StartAsync(tenant);
        var vault = await FakeKeyVault.StartAsync();
        var teams = await FakeTeams.StartAsync();
        vault.Secrets["teams-webhook-url"] = FakeTeams.WebhookUrl;
        vault.Secrets["evidence-signing-key"] = SigningKeyText;
        var harness = new FunctionsHarness(azure, vault, teams, time ?? new InstantTimeProvider(Start), connection, settings, ingestionPort) { _credential = credential ?? new FakeCredential() };
        harness.Services = harness.Compose();
        await harness.Queue.CreateAsync();
        return harness;
    }

    /// <summary>A function class, built as the worker builds it (constructor injection from the app's services).</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>What the worker does at start: validate every option, run the start-up checks.</summary>
    public async Task StartHostAsync()
    {
        Services.GetRequiredService<IStartupValidator>().Validate();
        foreach (var service in Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>The timer fires: the run starts and its scope messages go to the queue, as the output binding sends them.</summary>
    public async Task<RunRecord> FireTimerAsync(bool pastDue = false)
    {
        var before = (await Store.ListRunsAsync(new RunQuery { Limit = 1000 })).Select(r => r.RunId).ToHashSet();
        var messages = await Function<ScheduledScan>().RunAsync(new TimerInfo { IsPastDue = pastDue }, CancellationToken.None);
        await Queue.EnqueueAsync(messages);
        var runs = await Store.ListRunsAsync(new RunQuery { Limit = 1000 });
        return Assert.Single(runs, r => !before.Contains(r.RunId));
    }

    /// <summary>Delivers every queued message (and poisoned ones) to the functions, as the host would.</summary>
    public Task DrainQueueAsync(Func<Func<bool>>? timeoutWhen = null) =>
        Queue.DrainAsync(
            (text, token) => Function<ScopeScan>().RunAsync(text, token),
            (text, token) => Function<PoisonedScope>().RunAsync(text, token),
            timeoutWhen);

    public async Task<RunRecord> RunAsync(string runId) => await Store.GetRunAsync(runId) ?? throw new InvalidOperationException($"run {runId} is gone");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ((AzureReportStore)Store).DeleteAllAsync();
            var evidence = Services.GetRequiredService<IOptions<AzureStorageOptions>>().Value.EvidenceContainer;
            await new BlobServiceClient(_connection).GetBlobContainerClient(evidence).DeleteIfExistsAsync();
            await Queue.DeleteAsync();
        }
        catch (global::Azure.RequestFailedException)
        {
            // Best effort: a test that failed early may not have created everything.
        }

        await Services.DisposeAsync();
        await Azure.DisposeAsync();
        await Vault.DisposeAsync();
        await Teams.DisposeAsync();
    }

    private ServiceProvider Compose()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddComplianceFunctions(configuration);

        // The edges: everything else is the app's own composition.
        var credential = _credential;
        services.AddSingleton(Time);
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton(new CollectorTransport(_ingestionPort is { } port ? new IngestionRouter(Azure.Port, port) : Azure.CreateHandler()));
        services.AddSingleton(new SecretClient(new Uri(FakeKeyVault.VaultUri), credential, new SecretClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(Vault.CreateHandler())),
            Retry = { MaxRetries = 0 },
        }));
        services.AddHttpClient(TeamsWorkflowNotifier.HttpClientName).ConfigurePrimaryHttpMessageHandler(Teams.CreateHandler);
        return services.BuildServiceProvider();
    }
}
