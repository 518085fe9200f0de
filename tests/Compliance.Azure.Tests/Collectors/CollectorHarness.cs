using System.Text.Json;
using Azure.Core;
using Compliance.Azure.Collectors;
using Compliance.Azure.Tests.Collectors.Fakes;
using Compliance.Core.Snapshots;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Azure.Tests.Collectors;

/// <summary>
/// A collector wired to a loopback fake: fake credential, loopback transport, an instant clock,
/// short timeouts and quick retries. Nothing leaves 127.0.0.1 and no wait takes real time.
/// </summary>
internal sealed class CollectorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private CollectorHarness(FakeAzure fake, ServiceProvider provider, FakeCredential credential, InstantTimeProvider time)
    {
        Fake = fake;
        _provider = provider;
        Credential = credential;
        Time = time;
        Collector = provider.GetRequiredService<InventoryCollector>();
    }

    public FakeAzure Fake { get; }

    public FakeCredential Credential { get; }

    public InstantTimeProvider Time { get; }

    public InventoryCollector Collector { get; }

    public static async Task<CollectorHarness> StartAsync(FakeTenant tenant, Action<IServiceCollection>? configure = null, FakeCredential? credential = null)
    {
        var fake = await FakeAzure.StartAsync(tenant);
        credential ??= new FakeCredential();
        var time = new InstantTimeProvider(Now);
        var services = new ServiceCollection();
        services.AddComplianceAzure(null, AzureParts.Collectors);
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton(new CollectorTransport(fake.CreateHandler()));
        services.AddSingleton<TimeProvider>(time);
        services.Configure<CollectorRetryOptions>(o =>
        {
            o.MaxRetries = 2;
            o.NetworkTimeout = TimeSpan.FromSeconds(10);
        });
        configure?.Invoke(services);
        return new CollectorHarness(fake, services.BuildServiceProvider(), credential, time);
    }

    public async Task<Collected> CollectAsync(CollectionRequest request)
    {
        using var output = new MemoryStream();
        var result = await Collector.CollectAsync(request, output, CancellationToken.None);
        var bytes = output.ToArray();
        using var reader = SnapshotReader.Open(new MemoryStream(bytes), request.Format == SnapshotFormat.Lines ? "collected.jsonl" : "collected.json");
        var resources = new List<(string Id, string Type, string Json)>();
        await foreach (var resource in reader.ReadResourcesAsync())
        {
            using (resource)
            {
                resources.Add((resource.Id, resource.Type, resource.Json.GetRawText()));
            }
        }

        return new Collected(result, reader.Header, resources, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>A collection and the snapshot it wrote, read back with the engine's reader.</summary>
    internal sealed record Collected(CollectionResult Result, SnapshotHeader Header, List<(string Id, string Type, string Json)> Resources, byte[] Bytes)
    {
        public SnapshotScope Scope(string id) => Header.Scopes.Single(s => s.Id == id);

        public IEnumerable<string> IdsOfType(string type) =>
            Resources.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(r => r.Id);

        public JsonElement Json(string id) => JsonDocument.Parse(Resources.Single(r => r.Id == id).Json).RootElement;
    }
}
